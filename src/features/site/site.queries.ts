// Owns the reads behind the home page and the sitemaps: the newest articles, what the sitemaps list and when
// each thing last changed (job lists live in features/jobs/jobs.queries.ts).
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles, jobs, siteSettings, users } from '../../db/schema';
import type { JobType } from '../../domain/vocabulary';
import { listedCondition } from '../jobs/jobs.queries';

export async function listLatestArticles(db: Db, limit: number) {
  return db
    .select({ id: articles.id, title: articles.title, publishedAt: articles.publishedAt, category: articles.category })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
}

export type SitemapEntry = { id: number; lastmod: Date };

/** When a job last changed for a reader: edited, or (re)published. */
const jobChangedAt = sql<Date>`greatest(${jobs.updatedAt}, coalesce(${jobs.publishedAt}, ${jobs.updatedAt}))`;
const articleChangedAt = sql<Date>`greatest(${articles.updatedAt}, coalesce(${articles.publishedAt}, ${articles.updatedAt}))`;

/** Listed jobs (published, still valid, employer active) in id order, so a chunk of the sitemap stays put. */
export async function listSitemapJobs(db: Db, today: string, offset: number, limit: number): Promise<SitemapEntry[]> {
  const rows = await db
    .select({ id: jobs.id, lastmod: jobChangedAt })
    .from(jobs)
    .innerJoin(users, eq(users.id, jobs.employerId))
    .where(listedCondition(today))
    .orderBy(asc(jobs.id))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ id: r.id, lastmod: new Date(r.lastmod) }));
}

export async function listSitemapArticles(db: Db, offset: number, limit: number): Promise<SitemapEntry[]> {
  const rows = await db
    .select({ id: articles.id, lastmod: articleChangedAt })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .orderBy(asc(articles.id))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ id: r.id, lastmod: new Date(r.lastmod) }));
}

export type SiteFreshness = {
  jobCount: number;
  articleCount: number;
  /** The newest change among listed jobs of each type. */
  jobsByType: Partial<Record<JobType, Date>>;
  latestArticle: Date | null;
  /** When each stored setting was last saved. */
  settings: Record<string, Date>;
};

export async function loadSiteFreshness(db: Db, today: string): Promise<SiteFreshness> {
  const [byType, [articleRow], settingRows] = await Promise.all([
    db
      .select({ type: jobs.type, n: sql<number>`count(*)::int`, latest: sql<Date>`max(${jobChangedAt})` })
      .from(jobs)
      .innerJoin(users, eq(users.id, jobs.employerId))
      .where(listedCondition(today))
      .groupBy(jobs.type),
    db.select({ n: sql<number>`count(*)::int`, latest: sql<Date | null>`max(${articleChangedAt})` }).from(articles).where(eq(articles.status, 'published')),
    db.select({ key: siteSettings.key, updatedAt: siteSettings.updatedAt }).from(siteSettings),
  ]);
  return {
    jobCount: byType.reduce((n, r) => n + r.n, 0),
    articleCount: articleRow?.n ?? 0,
    jobsByType: Object.fromEntries(byType.map((r) => [r.type, new Date(r.latest)])),
    latestArticle: articleRow?.latest ? new Date(articleRow.latest) : null,
    settings: Object.fromEntries(settingRows.map((r) => [r.key, r.updatedAt])),
  };
}
