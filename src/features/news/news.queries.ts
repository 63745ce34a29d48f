// Owns the reads and writes of news articles and their view records (Drizzle only, plain rows out).
import { and, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { perDatabase } from '../../db/prepared';
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
/** Related articles are picked from this many of the newest (news.index.ts). */
export const RELATED_POOL = 2000;
/** Newest first; articles published at the same moment fall back to the newer row. */
const newestFirst = [desc(articles.publishedAt), desc(articles.id)];

// Prepared: an article page's one query is neither built by drizzle nor planned again per view.
const articleById = perDatabase((db) => db.select().from(articles).where(eq(articles.id, sql.placeholder('id'))).prepare('article_by_id'));

export async function findArticleById(db: Db, id: number): Promise<ArticleRow | undefined> {
  const [row] = await articleById(db).execute({ id });
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

/** A line of 人力资讯TOP500: no summary, category or date, which the list does not show. */
export type TopArticle = { id: number; title: string; viewCount: number };

// Prepared and narrow: the summaries of 500 rows were most of what the database sent and node parsed (issue 21).
const topArticles = perDatabase((db) =>
  db
    .select({ id: articles.id, title: articles.title, viewCount: articles.viewCount })
    .from(articles)
    .where(published)
    .orderBy(desc(articles.viewCount), ...newestFirst)
    .limit(sql.placeholder('limit'))
    .prepare('top_articles'),
);

/** The most-read published articles; equal counts show the newest first. */
export async function listTopArticles(db: Db, limit: number): Promise<TopArticle[]> {
  return topArticles(db).execute({ limit });
}

/** What an article page shows of the other articles: their order, title and category (src/features/news/news.index.ts). */
export type ArticleHead = { id: number; title: string; category: ArticleCategory; publishedAt: Date | null };

/** Every published article's head, newest first: one read per change to the articles, not per page view. */
export async function listPublishedArticleHeads(db: Db): Promise<ArticleHead[]> {
  return db
    .select({ id: articles.id, title: articles.title, category: articles.category, publishedAt: articles.publishedAt })
    .from(articles)
    .where(published)
    .orderBy(...newestFirst);
}

/** `db.execute` answers `{ rows }` on both drivers; Drizzle's shared type leaves it unknown. */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

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
