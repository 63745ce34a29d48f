// Owns the demo data of a fresh install. It runs only on an empty database, once, and never again.
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { isUniqueViolation } from './errors';
import { articles, jobs, siteSettings, users } from './schema';
import { seedDemoNews } from '../features/news/news.seed';
import type { SettingsStore } from '../features/site/settings.service';

const MARKER = 'system.demoSeededAt';

/** Extra seeders registered by features (jobs, ...), run in the same transaction. */
export type Seeder = { name: string; run: (tx: Db) => Promise<number> };

export type SeedReport = { seeded: boolean; reason?: string; counts: Record<string, number> };

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const [row] = await db.select({
    users: sql<number>`(select count(*)::int from ${users})`,
    jobs: sql<number>`(select count(*)::int from ${jobs})`,
    articles: sql<number>`(select count(*)::int from ${articles})`,
    marker: sql<number>`(select count(*)::int from ${siteSettings} where ${siteSettings.key} = ${MARKER})`,
  }).from(sql`(select 1) as one`);
  return !!row && row.users === 0 && row.jobs === 0 && row.articles === 0 && row.marker === 0;
}

/**
 * Seeds settings defaults and demo content into an empty database, all in one transaction.
 * A concurrent start is serialised by the marker row's primary key: the second one finds it and stops.
 */
export async function seedDemoData(db: Db, settings: SettingsStore, seeders: Seeder[] = []): Promise<SeedReport> {
  if (!(await isEmptyDatabase(db))) return { seeded: false, reason: 'database is not empty', counts: {} };
  const counts: Record<string, number> = {};
  try {
    await db.transaction(async (tx) => {
      await tx.insert(siteSettings).values({ key: MARKER, value: new Date().toISOString() });
      counts.settings = await settings.seedDefaults(tx);
      counts.articles = await seedDemoNews(tx);
      for (const seeder of seeders) counts[seeder.name] = await seeder.run(tx);
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { seeded: false, reason: 'seeded by another process', counts: {} };
    throw err;
  }
  settings.invalidate();
  return { seeded: true, counts };
}
