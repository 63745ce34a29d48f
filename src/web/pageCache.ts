// Owns the anonymous page cache: whole pages for visitors without a session, kept per URL, the change
// generations of what the page shows and the minute. Triggers raise a generation in the transaction of every
// change (migrations 0004, 0006), and a page is looked up under the numbers of a read made after the request
// arrived, so no process serves a page older than a change committed before the request (issue 21).
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/client';
import { generationsOf, type Generations } from '../db/generations';

/** A page the cache may keep, and the generations of everything it shows. */
export type CacheablePage = {
  path: RegExp;
  shows: readonly string[];
  /**
   * Draws a page the cache does not have ahead of Express's chain (routing, the request log, the session, the
   * middleware): the HTML Express would send with a 200, as UTF-8, to a reader without a session, or undefined to leave the
   * request to Express (a 404). It throws where Express must answer instead (a page asking for a form's token).
   * Only for pages whose headers are the same at every URL `path` matches: a drawn page gets the headers of the
   * last page of its kind Express sent, so until Express has sent one, none is drawn.
   */
  draw?: (path: string, match: RegExpExecArray, since: number | undefined) => Promise<Buffer | undefined>;
  /**
   * For a page `draw` would draw and the cache most likely lacks (no page of its URL is kept): the generations
   * read in one query with the page's own data, and the draw from that data. It saves the draw's own read.
   */
  readToDraw?: (match: RegExpExecArray) => Promise<{ generations: Generations; draw: (path: string, since: number | undefined) => Promise<Buffer | undefined> }>;
};

/** A request as the page cache reads it: Express's, or node's before Express has seen it. */
type Incoming = IncomingMessage;

type Entry = {
  /** The page's URL (path and query): the store knows which URLs have a page kept. */
  url: string;
  body: Buffer;
  /** Made at the first request that accepts gzip, then kept. */
  gzip?: Buffer;
  etag: string | undefined;
  headers: [string, string | number | string[]][];
  bytes: number;
};

/** Responses whose page the cache kept: counted in the minute's line instead of a log line each. */
const keptResponses = new WeakSet<object>();

/** Whether this response's page was kept by the page cache (the request log skips such 200s; the minute line counts them). */
export function wasKept(res: object): boolean {
  return keptResponses.has(res);
}

/** Headers that belong to one response, not to the page. */
const PER_RESPONSE = new Set(['set-cookie', 'content-length', 'content-encoding', 'vary', 'etag', 'x-request-id', 'connection', 'date']);

/** Least recently used entries leave first once the bodies pass `maxBytes`. */
export class PageStore {
  private readonly entries = new Map<string, Entry>();
  /** Entries per URL, under any minute and generations. */
  private readonly urls = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, entry);
    this.urls.set(entry.url, (this.urls.get(entry.url) ?? 0) + 1);
    this.bytes += entry.bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k, e);
    }
  }

  /** The gzip bytes of an entry count once they exist. */
  grew(by: number): void {
    this.bytes += by;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    const left = this.urls.get(entry.url)! - 1;
    if (left) this.urls.set(entry.url, left);
    else this.urls.delete(entry.url);
    this.bytes -= entry.bytes;
  }

  /** Whether a page of this URL is kept, for any minute or generations (it may be out of date). */
  hasUrl(url: string): boolean {
    return this.urls.has(url);
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}

export type PageCacheStats = { hits: number; kept: number; entries: number; bytes: number };

export type PageCacheOptions = {
  db: Db;
  now: () => Date;
  pages: readonly CacheablePage[];
  /** A request that may carry a signed-in user, flashes or a form's token is never answered from the cache. */
  isAnonymous: (req: Incoming) => boolean;
  /** True while the database is known to be down: requests go on to the 503 page instead of waiting on a read. */
  databaseDown: () => boolean;
  /** Per-response work of an answer from the cache (the request id header). */
  onHit?: (res: ServerResponse) => void;
  /** Called once a minute with the figures of that minute, when there were any; hits are not logged one by one. */
  report?: (stats: PageCacheStats) => void;
  /** The ETag Express gives a body (its 'etag fn'), for pages drawn ahead of it. */
  etag?: (body: Buffer) => string | undefined;
  maxBytes?: number;
};

const MINUTE_MS = 60_000;

/**
 * Answers anonymous GETs of cacheable pages from memory, and keeps the 200 pages it renders otherwise. A page is
 * kept only when its response sets no cookie and is not private (a page that made a session for a form).
 * It runs first, ahead of logging and helmet: a kept page carries the headers its first response had.
 */
export function pageCache(options: PageCacheOptions): RequestHandler & {
  store: PageStore;
  /** Pages drawn ahead of Express since start. */
  drawnPages: () => number;
  /**
   * The same lookup run by the server's request listener before Express sees the request (server.ts): true when
   * the cache took it (kept or drawn, or left to `toExpress` later), false for a request it never answers.
   */
  answerAhead: (req: IncomingMessage, res: ServerResponse, toExpress: () => void) => boolean;
} {
  const store = new PageStore(options.maxBytes ?? 24 * 1024 * 1024);
  const reader = generationsOf(options.db);
  const stats = { hits: 0, kept: 0 };
  /** The headers of the last page of each kind that Express sent and the cache kept: those of the pages it draws. */
  const headersOf = new Map<CacheablePage, Entry['headers']>();
  /** Requests looked up ahead of Express and left to it: the key their page is kept under ('' for none). */
  const leftToExpress = new WeakMap<object, string>();
  let drawn = 0;
  if (options.report) {
    const report = options.report;
    setInterval(() => {
      if (stats.hits || stats.kept) report({ ...stats, entries: store.size, bytes: store.totalBytes });
      stats.hits = 0;
      stats.kept = 0;
    }, MINUTE_MS).unref();
  }

  /**
   * Answers `req` from memory or draws its page; `rendered(key)` leaves it to Express (which keeps its page under
   * `key` when it can; '' for never). `since`: when the request arrived.
   */
  const lookup = (req: Incoming, res: ServerResponse, page: CacheablePage, path: string, url: string, since: number | undefined, rendered: (key: string) => void) => {
    const match = page.path.exec(path)!;
    const headers = headersOf.get(page);
    const drawable = page.draw !== undefined && headers !== undefined && req.method === 'GET';
    const ahead = drawable && page.readToDraw && !store.hasUrl(url) ? page.readToDraw(match) : undefined;
    (ahead ? ahead.then((read) => read.generations) : reader.read()).then((generations) => {
      const numbers = page.shows.map((name) => generations[name]);
      // Without a generation row (a database migrated by hand) nothing is provably fresh.
      if (numbers.some((n) => n === undefined)) return rendered('');
      const key = `${Math.floor(options.now().getTime() / MINUTE_MS)} ${numbers.join(' ')} ${url}`;
      const entry = store.get(key);
      if (entry) {
        stats.hits++;
        options.onHit?.(res);
        return serve(req, res, entry, store);
      }
      if (!drawable) return rendered(key);
      (ahead ? ahead.then((read) => read.draw(path, since)) : page.draw!(path, match, since)).then((body) => {
        if (body === undefined) return rendered(key);
        const kept: Entry = { url, body, etag: options.etag?.(body), headers: headers!, bytes: body.length };
        store.set(key, kept);
        stats.kept++;
        drawn++;
        options.onHit?.(res);
        serve(req, res, kept, store);
      }, () => rendered(key));
    }, () => rendered(''));
  };

  const handler = (req: Request, res: Response, next: NextFunction) => {
    // Express renders the page, and the cache keeps it under `key` when it can.
    const expressRenders = (page: CacheablePage, key: string) => {
      if (key && req.method === 'GET') keepWhenSent(res, key, req.originalUrl, store, stats, (headers) => headersOf.set(page, headers));
      next();
    };
    const keyAhead = leftToExpress.get(req);
    if (keyAhead !== undefined) {
      const page = options.pages.find((p) => p.path.test(req.path));
      return page ? expressRenders(page, keyAhead) : next();
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !options.isAnonymous(req) || options.databaseDown()) return next();
    const page = options.pages.find((p) => p.path.test(req.path));
    if (!page) return next();
    lookup(req, res, page, req.path, req.originalUrl, res.locals.arrivedAt as number | undefined, (key) => expressRenders(page, key));
  };

  const answerAhead = (req: IncomingMessage, res: ServerResponse, toExpress: () => void): boolean => {
    const url = req.url ?? '';
    // With a query string Express runs first (the search analytics read it, and it parses the path).
    if ((req.method !== 'GET' && req.method !== 'HEAD') || url.includes('?') || !options.isAnonymous(req) || options.databaseDown()) return false;
    const page = options.pages.find((p) => p.path.test(url));
    if (!page) return false;
    lookup(req, res, page, url, url, performance.now(), (key) => {
      leftToExpress.set(req, key);
      toExpress();
    });
    return true;
  };

  return Object.assign(handler, { store, drawnPages: () => drawn, answerAhead });
}

function serve(req: Incoming, res: ServerResponse, entry: Entry, store: PageStore): void {
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  res.setHeader('Vary', 'Accept-Encoding');
  if (entry.etag) {
    res.setHeader('ETag', entry.etag);
    if (matchesEtag(req.headers['if-none-match'], entry.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  let body = entry.body;
  if (acceptsGzip(req.headers['accept-encoding'])) {
    if (!entry.gzip) {
      entry.gzip = zlib.gzipSync(entry.body);
      store.grew(entry.gzip.length);
    }
    body = entry.gzip;
    res.setHeader('Content-Encoding', 'gzip');
  }
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Keeps the page this response sends, if it turns out to be a plain public 200 page; `onKept` gets its headers. */
function keepWhenSent(res: Response, key: string, url: string, store: PageStore, stats: { kept: number }, onKept: (headers: Entry['headers']) => void): void {
  const before = new Set(Object.keys(res.getHeaders()));
  const send = res.send;
  res.send = function sendAndKeep(this: Response, body?: unknown) {
    res.send = send;
    if (res.statusCode !== 200 || typeof body !== 'string') return send.call(this, body);
    // Encoded once: the same bytes are sent, hashed for the ETag and kept (a string would be encoded for each).
    const buffer = Buffer.from(body);
    if (!res.getHeader('content-type')) res.type('html');
    const result = send.call(this, buffer);
    if (!res.getHeader('set-cookie') && !/no-store|private/.test(String(res.getHeader('cache-control') ?? ''))) {
      const headers: Entry['headers'] = [];
      for (const [name, value] of Object.entries(res.getHeaders())) {
        if (value !== undefined && !before.has(name) && !PER_RESPONSE.has(name)) headers.push([name, value]);
      }
      const etag = res.getHeader('etag');
      store.set(key, { url, body: buffer, etag: typeof etag === 'string' ? etag : undefined, headers, bytes: buffer.length });
      keptResponses.add(res);
      stats.kept++;
      onKept(headers);
    }
    return result;
  } as Response['send'];
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const m = /(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*([0-9.]+))?/i.exec(header);
  return m !== null && (m[1] === undefined || Number(m[1]) > 0);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
