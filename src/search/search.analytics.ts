// Owns search analytics (issue 19): every search and every click on a result is recorded off the request path,
// with no user id, IP or session — only the query's words, the filters, the number of results and the rank of a
// click. The recorder sits ahead of the page cache, so a search answered from memory counts too.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { lt, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context';
import { queryRows, type Db } from '../db/client';
import { searchEvents } from '../db/schema';
import { addDays, chinaDate } from '../domain/dates';
import { isCountableView } from '../features/news/news.viewCount';
import { ensureDictionary } from './dictionary';
import { segmentQuery } from './segment';

/** The list route says how many jobs a search found, and how many matched every word; a kept page replays them. */
export const RESULTS_HEADER = 'X-Search-Results';
export const EXACT_HEADER = 'X-Search-Exact';

export const SEARCH_RETENTION_DAYS = 180;

/** The list pages a search runs on, and a job page reached from a result (`?sq=…&sr=rank`). */
const LIST_PATH = /^\/(jobs|linshigong|jianzhi|paiqian)\/?$/;
const JOB_PATH = /^\/jobs\/\d+\/?$/;
const FILTER_KEYS = ['type', 'district', 'settlement', 'category', 'payMin', 'benefits', 'sort'] as const;

type SearchEvent = typeof searchEvents.$inferInsert;

/**
 * The words of a query as analytics keep them: segmented, lower case, without runs of 5+ digits (a phone
 * number typed into the box is personal data) and at most 50 characters.
 */
export function queryKey(q: string): string {
  return segmentQuery(q)
    .filter((w) => !/\d{5,}/.test(w))
    .join(' ')
    .slice(0, 50);
}

function firstString(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** Buffers events and writes them in one insert every `flushMs` (or at 200): never on a request's path. */
export class SearchRecorder {
  private buffer: SearchEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly preparing = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Pick<AppContext, 'db' | 'logger' | 'now'>,
    private readonly flushMs = 2000,
  ) {}

  record(event: Omit<SearchEvent, 'at'>): void {
    if (!event.query) return;
    this.buffer.push({ ...event, at: this.ctx.now() });
    if (this.buffer.length >= 200) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs).unref();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length) {
      this.writing = this.writing.then(() =>
        this.ctx.db
          .insert(searchEvents)
          .values(batch)
          .then(
            () => undefined,
            (err: unknown) => this.ctx.logger.warn({ err, events: batch.length }, 'search events not recorded'),
          ),
      );
    }
    return this.writing;
  }

  /** Work that ends in `record` (segmenting the query): `idle` waits for it. */
  track(work: Promise<void>): void {
    this.preparing.add(work);
    void work.finally(() => this.preparing.delete(work));
  }

  /** Writes what is recorded or being prepared, and resolves when it is stored (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.preparing.size) await Promise.all([...this.preparing]);
    return this.flush();
  }
}

const recorders = new WeakMap<object, SearchRecorder>();

export function searchRecorderOf(ctx: Pick<AppContext, 'db' | 'logger' | 'now'>): SearchRecorder {
  let r = recorders.get(ctx);
  if (!r) {
    r = new SearchRecorder(ctx);
    recorders.set(ctx, r);
  }
  return r;
}

/** Middleware ahead of the page cache: records searches and result clicks when their response has gone out. */
export function searchAnalytics(ctx: AppContext): RequestHandler {
  const recorder = searchRecorderOf(ctx);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    const isList = LIST_PATH.test(req.path);
    const isClick = !isList && JOB_PATH.test(req.path) && req.query.sr !== undefined;
    const q = firstString(isList ? req.query.q : req.query.sq).normalize('NFKC').trim().slice(0, 50);
    if (!(isList || isClick) || !q) return next();
    res.on('finish', () => {
      const view = { method: req.method, status: res.statusCode, userAgent: req.get('user-agent'), purpose: req.get('sec-purpose') ?? req.get('purpose') };
      if (!isCountableView(view) || res.statusCode !== 200) return;
      // Segmented with the database's dictionary, off the request path.
      recorder.track(
        // A generation read made since the request arrived (the page cache's, the route's) will do: no extra query.
        ensureDictionary(ctx.db, res.locals.arrivedAt as number | undefined).then(
        () => {
          if (isList) {
            const filters: Record<string, string> = {};
            for (const k of FILTER_KEYS) {
              const v = req.query[k];
              const s = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(',') : firstString(v);
              if (s) filters[k] = s.slice(0, 40);
            }
            const count = (header: string) => {
              const n = Number(res.getHeader(header));
              return Number.isFinite(n) ? n : null;
            };
            recorder.record({ kind: 'search', query: queryKey(q), filters, results: count(RESULTS_HEADER), exact: count(EXACT_HEADER) });
          } else {
            const rank = Number(firstString(req.query.sr));
            if (Number.isInteger(rank) && rank >= 1 && rank <= 1000) recorder.record({ kind: 'click', query: queryKey(q), rank });
          }
        },
        (err: unknown) => ctx.logger.warn({ err }, 'search event not recorded'),
        ),
      );
    });
    next();
  };
}

/** Deletes the events older than SEARCH_RETENTION_DAYS (maintenance task 'search-events'). */
export async function purgeOldSearchEvents(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - SEARCH_RETENTION_DAYS * 24 * 3600_000);
  const rows = await db.delete(searchEvents).where(lt(searchEvents.at, cutoff)).returning({ id: searchEvents.id });
  return rows.length;
}

export type QueryStat = { query: string; searches: number; avgResults: number; clicks: number };
/** `zero` and `low` count the jobs matching every word of a query (`exact`); `zeroRate` the empty pages. */
export type SearchReport = {
  days: number;
  searches: number;
  clicks: number;
  /** Searches followed by a click on a result ÷ searches, as clicks per search (no user links them). */
  clickThrough: number;
  zeroRate: number;
  top: QueryStat[];
  zero: QueryStat[];
  low: QueryStat[];
  perDay: { day: string; n: number }[];
};

/** Fewer results than this is a "low-result" query: worth a synonym. */
export const LOW_RESULTS = 5;

/** The analytics of the last `days` days (China dates), as /admin/search shows them. */
export async function searchReport(db: Db, now: Date, days = 30): Promise<SearchReport> {
  const today = chinaDate(now);
  const from = new Date(`${addDays(today, -days + 1)}T00:00:00+08:00`);
  type Row = { query: string; searches: number; avg_results: number; clicks: number };
  const stats = (having: SQL, limit: number) =>
    queryRows<Row>(
      db,
      sql`select query, count(*) filter (where kind = 'search')::int as searches,
          coalesce(round(avg(results) filter (where kind = 'search'), 1), 0)::float as avg_results,
          count(*) filter (where kind = 'click')::int as clicks
        from ${searchEvents} where at >= ${from} group by query
        having count(*) filter (where kind = 'search') > 0 and ${having}
        order by searches desc, query limit ${limit}`,
    ).then((rows) => rows.map((x) => ({ query: x.query, searches: Number(x.searches), avgResults: Number(x.avg_results), clicks: Number(x.clicks) })));
  const [[totals], top, zero, low, perDay] = await Promise.all([
    queryRows<{ searches: number; clicks: number; zero: number }>(
      db,
      sql`select count(*) filter (where kind = 'search')::int as searches, count(*) filter (where kind = 'click')::int as clicks,
        count(*) filter (where kind = 'search' and results = 0)::int as zero from ${searchEvents} where at >= ${from}`,
    ),
    stats(sql`true`, 20),
    // Words to teach: no job had every word (the page showed only partial matches, or nothing), or very few did.
    stats(sql`max(exact) filter (where kind = 'search') = 0`, 20),
    stats(sql`max(exact) filter (where kind = 'search') between 1 and ${LOW_RESULTS - 1}`, 20),
    queryRows<{ day: string; n: number }>(
      db,
      sql`select to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n
        from ${searchEvents} where at >= ${from} and kind = 'search' group by 1 order by 1`,
    ),
  ]);
  const searches = Number(totals?.searches ?? 0);
  const clicks = Number(totals?.clicks ?? 0);
  return {
    days,
    searches,
    clicks,
    clickThrough: searches ? clicks / searches : 0,
    zeroRate: searches ? Number(totals?.zero ?? 0) / searches : 0,
    top,
    zero,
    low,
    perDay: perDay.map((r) => ({ day: r.day, n: Number(r.n) })),
  };
}
