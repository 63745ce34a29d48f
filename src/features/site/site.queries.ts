// Owns the reads behind the home page: the newest articles (job lists live in features/jobs/jobs.queries.ts).
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { articles } from '../../db/schema';

export async function listLatestArticles(db: Db, limit: number) {
  return db
    .select({ id: articles.id, title: articles.title, publishedAt: articles.publishedAt, category: articles.category })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
}
