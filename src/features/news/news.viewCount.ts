// Owns who counts as a reader of an article, and recording that view after the page has been sent.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import { recordArticleView } from './news.queries';
import { shanghaiDay } from './news.service';

/** Search engines and feed fetchers read pages too; they are not readers. */
const BOT_UA = /bot|spider|crawl/i;

export type ViewRequest = {
  method: string;
  status: number;
  userAgent: string | undefined;
  /** `Sec-Purpose` / `Purpose` header: a browser prefetch is not a view (yet). */
  purpose: string | undefined;
};

export function isCountableView(r: ViewRequest): boolean {
  // 304: the browser shows its cached copy of the page, which is a view all the same.
  if (r.method !== 'GET' || (r.status !== 200 && r.status !== 304)) return false;
  if (!r.userAgent || BOT_UA.test(r.userAgent)) return false;
  if (r.purpose && /prefetch|prerender/i.test(r.purpose)) return false;
  return true;
}

/**
 * The visitor of a view: the signed-in user, else a keyed hash of IP and user agent. The key is the
 * session secret, so the hash cannot be reversed by trying addresses, and no raw IP is ever stored.
 */
export function visitorKey(secret: string, who: { userId?: number | null; ip: string | undefined; userAgent: string | undefined }): string {
  if (who.userId) return `u:${who.userId}`;
  const digest = crypto
    .createHmac('sha256', secret)
    .update(`${who.ip ?? ''}\n${who.userAgent ?? ''}`)
    .digest('base64url');
  return `a:${digest.slice(0, 32)}`;
}

/**
 * Records views off the request path: the page is answered first, then one statement counts the view.
 * Writes in flight are tracked so that tests (and a shutdown) can wait for them.
 */
export class ViewRecorder {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly ctx: Pick<AppContext, 'db' | 'logger' | 'now'>) {}

  record(articleId: number, visitor: string): void {
    const day = shanghaiDay(this.ctx.now());
    const write = recordArticleView(this.ctx.db, articleId, visitor, day).then(
      () => undefined,
      (err: unknown) => this.ctx.logger.warn({ err, articleId }, 'article view not recorded'),
    );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Resolves when every view recorded so far is written. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

const recorders = new WeakMap<object, ViewRecorder>();

/** The recorder of an app context (one per app, created on first use). */
export function viewRecorderOf(ctx: Pick<AppContext, 'db' | 'logger' | 'now'>): ViewRecorder {
  let r = recorders.get(ctx);
  if (!r) {
    r = new ViewRecorder(ctx);
    recorders.set(ctx, r);
  }
  return r;
}
