// Owns the rules of news: who may read what, list paging, honest view counts, and the admin's
// create / edit / publish / unpublish / delete, each with its audit entry.
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { ArticleCategory } from '../../domain/vocabulary';
import { NotFoundError, ValidationError } from '../../errors';
import type { FileStorage } from '../../storage/files';
import { dateIso } from '../../web/format';
import { recordAudit, type Actor } from '../audit/audit.service';
import {
  deleteArticleRow,
  deleteArticleViewsBefore,
  deleteFileRow,
  deleteUnusedNewsImages,
  findArticleById,
  findArticlesBySourceUrls,
  findCoverFile,
  insertArticle,
  listArticlesForAdmin,
  listPublishedArticles,
  listTopArticles,
  updateArticleRow,
  type ArticleRow,
  type ArticleStatus,
  type NewArticleRow,
} from './news.queries';
import { htmlToText, httpUrl, sanitizeArticleHtml, SOURCE_URL_MAX } from './news.sanitize';
import { articleIndexOf } from './news.index';

const messages = {
  notFound: '文章不存在或已下线',
  sourceTaken: (id: number) => `该来源网址已被文章 #${id} 使用,同一来源不能重复发布`,
  sourceTakenRace: '该来源网址已被其他文章使用,同一来源不能重复发布',
  bodyRequired: '发布前请填写正文',
  futureDate: '发布时间不能晚于现在(暂不支持定时发布)',
};

export const NEWS_PAGE_SIZE = 20;
export const TOP_LIMIT = 500;
export const FEED_LIMIT = 50;
const RELATED_LIMIT = 6;
const SUMMARY_LENGTH = 120;

/** The Shanghai calendar day of a moment, `YYYY-MM-DD`: the unit of "once per visitor per day". */
export function shanghaiDay(at: Date): string {
  return dateIso(at);
}

/** The moment shown as "published": the publication time, or (for a draft being previewed) its creation. */
export function shownDate(article: Pick<ArticleRow, 'publishedAt' | 'createdAt'>): Date {
  return article.publishedAt ?? article.createdAt;
}

// ---------- readers ----------

/** `since`: when the request arrived (`performance.now()`), so the neighbours are those of a read made after it. */
export async function getArticleForReader(db: Db, id: number, viewer: { isAdmin: boolean }, since?: number) {
  const [article, index] = await Promise.all([findArticleById(db, id), articleIndexOf(db, since)]);
  if (!article || (article.status !== 'published' && !viewer.isAdmin)) throw new NotFoundError(messages.notFound);
  const live = article.status === 'published' && article.publishedAt;
  const adjacent = live ? index.adjacent(article.id) : {};
  return { article, prev: adjacent.prev, next: adjacent.next, related: index.related(article, RELATED_LIMIT) };
}

/** One page of published news; a page past the end does not exist (404), an empty first page does. */
export async function listNewsPage(db: Db, opts: { category?: ArticleCategory; page: number }) {
  const { rows, total } = await listPublishedArticles(db, {
    category: opts.category,
    limit: NEWS_PAGE_SIZE,
    offset: (opts.page - 1) * NEWS_PAGE_SIZE,
  });
  const totalPages = Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE));
  if (opts.page > totalPages) throw new NotFoundError();
  return { rows, total, totalPages };
}

export function listTopNews(db: Db) {
  return listTopArticles(db, TOP_LIMIT);
}

export async function listFeedNews(db: Db) {
  return (await listPublishedArticles(db, { limit: FEED_LIMIT, offset: 0 })).rows;
}

/** A cover image file: anyone may have it once its article is published; admins also those of drafts. */
export async function getCoverFile(db: Db, fileId: number, viewer: { isAdmin: boolean }) {
  const file = await findCoverFile(db, fileId);
  if (!file || (!file.publicUse && !viewer.isAdmin)) throw new NotFoundError();
  return file;
}

/** An editor image's grace period: an image uploaded while an article is being written is kept until it is saved. */
const UNUSED_IMAGE_GRACE_MS = 24 * 3600_000;

/** Removes images of the editor that no article shows any more (rows, then bytes); returns how many. */
export async function sweepUnusedNewsImages(deps: { db: Db; storage: FileStorage }, now: Date): Promise<number> {
  const keys = await deleteUnusedNewsImages(deps.db, new Date(now.getTime() - UNUSED_IMAGE_GRACE_MS));
  await deps.storage.removeAll(keys);
  return keys.length;
}

/**
 * View records only decide whether today's view is new; yesterday's are kept for the day boundary
 * (a reader's local midnight), anything older is deleted.
 */
export function purgeOldArticleViews(db: Db, now: Date): Promise<number> {
  return deleteArticleViewsBefore(db, shanghaiDay(new Date(now.getTime() - 86_400_000)));
}

// ---------- admin ----------

export async function findArticleForAdmin(db: Db, id: number): Promise<ArticleRow> {
  const article = await findArticleById(db, id);
  if (!article) throw new NotFoundError(messages.notFound);
  return article;
}

/** Every article (drafts first, then newest), filtered; a page past the end is 404 like the public list. */
export async function listArticlesPageForAdmin(db: Db, opts: { status?: ArticleStatus; q?: string; page: number; pageSize: number }) {
  const { rows, total } = await listArticlesForAdmin(db, { status: opts.status, q: opts.q, limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize });
  const totalPages = Math.max(1, Math.ceil(total / opts.pageSize));
  if (opts.page > totalPages) throw new NotFoundError();
  return { rows, total, totalPages };
}

export type ArticleInput = {
  title: string;
  summary: string;
  /** As typed or imported; sanitised here before it is stored. */
  body: string;
  coverCaption: string;
  category: ArticleCategory;
  author: string;
  publishedAt: Date | null;
  status: ArticleStatus;
  sourceName: string | null;
  sourceUrl: string | null;
  originalAuthor: string | null;
  originalDate: string | null;
};

/** The same URL typed two ways (case of the host, a #fragment) is the same source. */
export function normalizeSourceUrl(raw: string | null | undefined): string | null {
  const href = httpUrl(raw);
  if (!href) return null;
  const url = new URL(href);
  url.hash = '';
  return url.href.length <= SOURCE_URL_MAX ? url.href : null;
}

/** A summary for lists and the feed when none was written: the start of the body's text. */
export function summaryFrom(summary: string, bodyHtml: string): string {
  if (summary.trim()) return summary.trim();
  const text = htmlToText(bodyHtml);
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH)}…` : text;
}

/** Whether a sanitised body shows anything: text or an image. */
function hasContent(bodyHtml: string): boolean {
  return htmlToText(bodyHtml).length > 0 || /<img\s/i.test(bodyHtml);
}

/** Input → the row's values: body sanitised, summary filled, source URL normalised, the publication time set on publish. */
export function toArticleValues(input: ArticleInput, now: Date): NewArticleRow & { status: ArticleStatus; bodyHtml: string } {
  const bodyHtml = sanitizeArticleHtml(input.body);
  return {
    title: input.title,
    summary: summaryFrom(input.summary, bodyHtml),
    bodyHtml,
    coverCaption: input.coverCaption,
    category: input.category,
    author: input.author,
    publishedAt: input.publishedAt ?? (input.status === 'published' ? now : null),
    status: input.status,
    sourceName: input.sourceName || null,
    sourceUrl: normalizeSourceUrl(input.sourceUrl),
    originalAuthor: input.originalAuthor || null,
    originalDate: input.originalDate || null,
  };
}

/** Clock skew between an admin's device and the server is tolerated; scheduling is not. */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

function checkPublishable(values: { status: ArticleStatus; bodyHtml?: string; publishedAt?: Date | null }, now: Date) {
  if (values.publishedAt && values.publishedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError({ publishedAt: messages.futureDate });
  }
  if (values.status === 'published' && !hasContent(values.bodyHtml ?? '')) throw new ValidationError({ body: messages.bodyRequired });
}

async function checkSourceFree(tx: Db, sourceUrl: string | null | undefined, exceptId?: number) {
  if (!sourceUrl) return;
  const owner = (await findArticlesBySourceUrls(tx, [sourceUrl])).get(sourceUrl);
  if (owner !== undefined && owner !== exceptId) throw new ValidationError({ sourceUrl: messages.sourceTaken(owner) });
}

/** What the audit log keeps of an article: everything a person could change. */
export function auditSnapshot(a: ArticleRow) {
  return {
    title: a.title,
    summary: a.summary,
    bodyHtml: a.bodyHtml,
    coverFileId: a.coverFileId,
    coverCaption: a.coverCaption,
    category: a.category,
    author: a.author,
    publishedAt: a.publishedAt,
    status: a.status,
    sourceName: a.sourceName,
    sourceUrl: a.sourceUrl,
    originalAuthor: a.originalAuthor,
    originalDate: a.originalDate,
  };
}

/** A unique violation on source_url that slipped past the check (two admins at once) is the same field error. */
async function guardSourceRace<T>(sourceUrl: string | null | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (sourceUrl && isUniqueViolation(err)) throw new ValidationError({ sourceUrl: messages.sourceTakenRace });
    throw err;
  }
}

/** Creates an article inside the caller's transaction `tx` (which may also hold its new cover file). */
export async function createArticle(
  tx: Db,
  actor: Actor,
  input: ArticleInput,
  opts: { coverFileId: number | null; now: Date },
): Promise<ArticleRow> {
  const values = toArticleValues(input, opts.now);
  checkPublishable(values, opts.now);
  await checkSourceFree(tx, values.sourceUrl);
  const article = await guardSourceRace(values.sourceUrl, () =>
    insertArticle(tx, { ...values, coverFileId: opts.coverFileId, authorId: actor.id }),
  );
  await recordAudit(tx, actor, { action: 'news.create', targetType: 'article', targetId: article.id, after: auditSnapshot(article) });
  return article;
}

/**
 * Updates an article inside `tx`. A new cover replaces the old one, and `removeCover` drops it: the old file's
 * row goes in this transaction; its key is returned so the bytes are removed only after the commit.
 */
export async function updateArticle(
  tx: Db,
  actor: Actor,
  id: number,
  input: ArticleInput,
  opts: { newCoverFileId: number | null; removeCover: boolean; now: Date },
): Promise<{ article: ArticleRow; removedKeys: string[] }> {
  const before = await findArticleById(tx, id);
  if (!before) throw new NotFoundError(messages.notFound);
  const values = toArticleValues(input, opts.now);
  checkPublishable(values, opts.now);
  await checkSourceFree(tx, values.sourceUrl, id);
  const replaceCover = opts.newCoverFileId !== null || opts.removeCover;
  const coverFileId = opts.newCoverFileId ?? (opts.removeCover ? null : before.coverFileId);
  const article = await guardSourceRace(values.sourceUrl, () => updateArticleRow(tx, id, { ...values, coverFileId }));
  const removedKeys: string[] = [];
  if (replaceCover && before.coverFileId && before.coverFileId !== coverFileId) {
    const key = await deleteFileRow(tx, before.coverFileId);
    if (key) removedKeys.push(key);
  }
  await recordAudit(tx, actor, {
    action: 'news.update',
    targetType: 'article',
    targetId: id,
    before: auditSnapshot(before),
    after: auditSnapshot(article!),
  });
  return { article: article!, removedKeys };
}

/** Publishes (keeping a publication time set earlier) or takes back to draft. Returns false when nothing changed. */
export async function setArticleStatus(db: Db, actor: Actor, id: number, status: ArticleStatus, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await findArticleById(tx, id);
    if (!before) throw new NotFoundError(messages.notFound);
    if (before.status === status) return false;
    if (status === 'published') checkPublishable({ status, bodyHtml: before.bodyHtml, publishedAt: before.publishedAt }, now);
    const after = await updateArticleRow(tx, id, { status, ...(status === 'published' && !before.publishedAt ? { publishedAt: now } : {}) });
    await recordAudit(tx, actor, {
      action: status === 'published' ? 'news.publish' : 'news.unpublish',
      targetType: 'article',
      targetId: id,
      before: { status: before.status, publishedAt: before.publishedAt },
      after: { status: after!.status, publishedAt: after!.publishedAt },
    });
    return true;
  });
}

/** Deletes an article with its view records and cover; the cover's bytes are removed after the commit. */
export async function deleteArticle(deps: { db: Db; storage: FileStorage }, actor: Actor, id: number): Promise<ArticleRow> {
  const { article, key } = await deps.db.transaction(async (tx) => {
    const before = await findArticleById(tx, id);
    if (!before) throw new NotFoundError(messages.notFound);
    await deleteArticleRow(tx, id);
    const removed = before.coverFileId ? await deleteFileRow(tx, before.coverFileId) : undefined;
    await recordAudit(tx, actor, { action: 'news.delete', targetType: 'article', targetId: id, before: auditSnapshot(before) });
    return { article: before, key: removed };
  });
  if (key) await deps.storage.remove(key).catch(() => {}); // a leftover is removed by the upload sweep
  return article;
}
