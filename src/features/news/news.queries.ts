// Owns the reads and writes of news articles and their view records (Drizzle only, plain rows out).
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles, articleViews, files } from '../../db/schema';
import type { ArticleCategory } from '../../domain/vocabulary';

export type ArticleRow = typeof articles.$inferSelect;
export type NewArticleRow = typeof articles.$inferInsert;
export type ArticleStatus = ArticleRow['status'];

/** What a list item needs: never the body. */
const listColumns = {
  id: articles.id,
  title: articles.title,
  summary: articles.summary,
  category: articles.category,
  publishedAt: articles.publishedAt,
  viewCount: articles.viewCount,
  sourceName: articles.sourceName,
};
export type ArticleListItem = {
  id: number;
  title: string;
  summary: string;
  category: ArticleCategory;
  publishedAt: Date | null;
  viewCount: number;
  sourceName: string | null;
};

const published = eq(articles.status, 'published');
/** Related articles are picked from this many of the newest. */
export const RELATED_POOL = 2000;
/** Newest first; articles published at the same moment fall back to the newer row. */
const newestFirst = [desc(articles.publishedAt), desc(articles.id)];

export async function findArticleById(db: Db, id: number): Promise<ArticleRow | undefined> {
  const [row] = await db.select().from(articles).where(eq(articles.id, id));
  return row;
}

export async function listPublishedArticles(
  db: Db,
  opts: { category?: ArticleCategory; limit: number; offset: number },
): Promise<{ rows: ArticleListItem[]; total: number }> {
  const where = opts.category ? and(published, eq(articles.category, opts.category)) : published;
  const [rows, total] = await Promise.all([
    db.select(listColumns).from(articles).where(where).orderBy(...newestFirst).limit(opts.limit).offset(opts.offset),
    db.$count(articles, where),
  ]);
  return { rows, total };
}

/** The most-read published articles; equal counts show the newest first. */
export async function listTopArticles(db: Db, limit: number): Promise<ArticleListItem[]> {
  return db
    .select(listColumns)
    .from(articles)
    .where(published)
    .orderBy(desc(articles.viewCount), ...newestFirst)
    .limit(limit);
}

type Neighbour = { id: number; title: string };

/** The published articles just before (older) and after (newer) this one, in publication order. */
export async function findAdjacentArticles(db: Db, article: { id: number; publishedAt: Date }): Promise<{ prev?: Neighbour; next?: Neighbour }> {
  const at = article.publishedAt;
  // Row comparisons: the index on (published_at, id) starts right at the article instead of walking to it.
  const older = sql`(${articles.publishedAt}, ${articles.id}) < (${at}, ${article.id})`;
  const newer = sql`(${articles.publishedAt}, ${articles.id}) > (${at}, ${article.id})`;
  const cols = { id: articles.id, title: articles.title };
  const [[prev], [next]] = await Promise.all([
    db.select(cols).from(articles).where(and(published, older)).orderBy(...newestFirst).limit(1),
    db.select(cols).from(articles).where(and(published, newer)).orderBy(asc(articles.publishedAt), asc(articles.id)).limit(1),
  ]);
  return { prev, next };
}

/** `db.execute` answers `{ rows }` on both drivers; Drizzle's shared type leaves it unknown. */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/**
 * Published articles related to one: each title word it shares counts twice, the same category once.
 * Unrelated articles (score 0) are never shown.
 */
export async function listRelatedArticles(
  db: Db,
  article: { id: number; category: ArticleCategory },
  titleWords: string[],
  limit: number,
): Promise<{ id: number; title: string; publishedAt: Date | null }[]> {
  // Scored among the newest RELATED_POOL articles: scoring every title costs a scan of the whole table
  // per page view at 20,000 articles, and a related read from years ago helps no one.
  const pool = db
    .select({ id: articles.id, title: articles.title, category: articles.category, publishedAt: articles.publishedAt })
    .from(articles)
    .where(and(published, sql`${articles.id} <> ${article.id}`))
    .orderBy(...newestFirst)
    .limit(RELATED_POOL)
    .as('pool');
  const wordHits = titleWords.map((w) => sql`(case when ${pool.title} like ${`%${likeEscape(w)}%`} then 2 else 0 end)`);
  const score = sql.join([...wordHits, sql`(case when ${pool.category} = ${article.category} then 1 else 0 end)`], sql` + `);
  return db
    .select({ id: pool.id, title: pool.title, publishedAt: pool.publishedAt })
    .from(pool)
    .where(sql`(${score}) > 0`)
    .orderBy(sql`(${score}) desc`, desc(pool.publishedAt), desc(pool.id))
    .limit(limit);
}

/**
 * Records one view of a visitor on a (Shanghai) day; the count moves only when the record is new.
 * One statement: concurrent requests of the same visitor cannot both count, and no lock outlives it.
 */
export async function recordArticleView(db: Db, articleId: number, visitor: string, day: string): Promise<boolean> {
  const result = await db.execute(sql`
    with inserted as (
      insert into ${articleViews} (article_id, visitor, day) values (${articleId}, ${visitor}, ${day})
      on conflict do nothing
      returning article_id
    )
    update ${articles} set view_count = view_count + 1
    where id in (select article_id from inserted) and status = 'published'
    returning id`);
  return rowsOf(result).length > 0;
}

/** View records only matter on their own day; older ones are deleted (they are personal data, if hashed). */
export async function deleteArticleViewsBefore(db: Db, day: string): Promise<number> {
  const result = await db.execute(sql`delete from ${articleViews} where day < ${day}::date returning 1`);
  return rowsOf(result).length;
}

export type AdminListFilter = { status?: ArticleStatus; q?: string; limit: number; offset: number };

export async function listArticlesForAdmin(db: Db, filter: AdminListFilter) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(articles.status, filter.status));
  if (filter.q) where.push(ilike(articles.title, `%${likeEscape(filter.q)}%`));
  const cond = where.length ? and(...where) : undefined;
  const [rows, total] = await Promise.all([
    db
      .select({ ...listColumns, status: articles.status, sourceUrl: articles.sourceUrl, updatedAt: articles.updatedAt, isDemo: articles.isDemo })
      .from(articles)
      .where(cond)
      .orderBy(sql`${articles.publishedAt} desc nulls first`, desc(articles.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.$count(articles, cond),
  ]);
  return { rows, total };
}

/** Which of these source URLs are taken already, and by which article. */
export async function findArticlesBySourceUrls(db: Db, urls: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < urls.length; i += 500) {
    const chunk = urls.slice(i, i + 500);
    const rows = await db.select({ id: articles.id, sourceUrl: articles.sourceUrl }).from(articles).where(inArray(articles.sourceUrl, chunk));
    for (const r of rows) if (r.sourceUrl) found.set(r.sourceUrl, r.id);
  }
  return found;
}

export async function insertArticle(db: Db, values: NewArticleRow): Promise<ArticleRow> {
  const [row] = await db.insert(articles).values(values).returning();
  return row!;
}

/** Inserts many; a row whose source URL exists already (a concurrent import) is left out of the result. */
export async function insertArticlesSkippingKnownSources(db: Db, values: NewArticleRow[]): Promise<{ id: number; sourceUrl: string | null }[]> {
  if (values.length === 0) return [];
  return db
    .insert(articles)
    .values(values)
    .onConflictDoNothing({ target: articles.sourceUrl })
    .returning({ id: articles.id, sourceUrl: articles.sourceUrl });
}

export async function updateArticleRow(db: Db, id: number, values: Partial<NewArticleRow>): Promise<ArticleRow | undefined> {
  const [row] = await db
    .update(articles)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(articles.id, id))
    .returning();
  return row;
}

export async function deleteArticleRow(db: Db, id: number): Promise<void> {
  await db.delete(articles).where(eq(articles.id, id));
}

export type CoverFile = { id: number; storageKey: string; mime: string; size: number };

/** How an article body names one of the site's news images (the editor writes it so; the sanitizer keeps it). */
export const newsImageSrc = (fileId: number) => `/files/news/${fileId}`;
/** Bodies that show the image: `src="/files/news/12"`, never `/files/news/123`. */
const bodyShows = (fileId: number) => sql`${articles.bodyHtml} like ${`%src="${likeEscape(newsImageSrc(fileId))}"%`}`;

/** A cover or an image of an article body; public once an article that shows it is published. */
export async function findCoverFile(db: Db, fileId: number): Promise<(CoverFile & { publicUse: boolean }) | undefined> {
  const [file] = await db
    .select({ id: files.id, kind: files.kind, storageKey: files.storageKey, mime: files.mime, size: files.size })
    .from(files)
    .where(and(eq(files.id, fileId), inArray(files.kind, ['news_cover', 'news_image'])));
  if (!file) return undefined;
  const use = file.kind === 'news_cover' ? eq(articles.coverFileId, fileId) : bodyShows(fileId);
  const publishedUses = await db.$count(articles, and(use, published));
  const { kind: _kind, ...shown } = file;
  return { ...shown, publicUse: publishedUses > 0 };
}

/**
 * Images uploaded from the editor that no article body shows (never saved, removed from the text, or their article
 * deleted), uploaded before `before`: their rows go here, and their keys are returned so the bytes can follow.
 */
export async function deleteUnusedNewsImages(db: Db, before: Date): Promise<string[]> {
  const rows = await db
    .delete(files)
    .where(
      and(
        eq(files.kind, 'news_image'),
        sql`${files.createdAt} < ${before}`,
        sql`not exists (select 1 from ${articles} where ${articles.bodyHtml} like '%src="/files/news/' || ${files.id} || '"%')`,
      ),
    )
    .returning({ key: files.storageKey });
  return rows.map((r) => r.key);
}

/** Deletes the file row and returns its storage key, so the bytes can be removed after the commit. */
export async function deleteFileRow(db: Db, fileId: number): Promise<string | undefined> {
  const [row] = await db.delete(files).where(eq(files.id, fileId)).returning({ key: files.storageKey });
  return row?.key;
}
