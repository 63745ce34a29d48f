// Records the authorization matrix needs ({job}, {article}, ...): each feature adds its own as it lands.
import { and, eq } from 'drizzle-orm';
import { articles } from '../../src/db/schema';
import type { TestApp } from './app';

export type AuthzFixtures = {
  job?: number;
  ownJob?: number;
  article?: number;
  slug?: string;
  resume?: number;
  application?: number;
};

/** `employerId` is the matrix's signed-in employer: `ownJob` must belong to them. */
export async function createAuthzFixtures(t: TestApp, _employerId: number): Promise<AuthzFixtures> {
  // News (issue 6): the matrix app is seeded, so the original site's sample article is published.
  const [article] = await t.ctx.db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.status, 'published'), eq(articles.sourceName, '珠海特区报')))
    .limit(1);
  return { article: article?.id };
}
