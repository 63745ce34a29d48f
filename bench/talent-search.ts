// The talent pool's search at scale (issue 18): seeds N public resumes on an embedded database (varied wishes,
// certificates, introductions), indexes them with the app's own code, then times searchTalent for a few queries
// (median of 7 runs each, after one warm-up). Run: node -r @swc-node/register bench/talent-search.ts [seekers=10000]
// On PostgreSQL: BENCH_DATABASE_URL=postgres://.../an_empty_database (migrated by the run; its rows are left there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { reindexTalent } from '../src/features/workspace/talent.search';
import { searchTalent, type TalentFilters } from '../src/features/workspace/talent.service';
import { createLogger } from '../src/logger';

const SEEKERS = Number(process.argv[2] ?? 10_000);

const QUERIES: [string, TalentFilters][] = [
  ['no keyword, no filter', {}],
  ['q=叉车', { q: '叉车' }],
  ['q=保安 宝安', { q: '保安 宝安' }],
  ['q=打杂 日结 & category=普工', { q: '打杂 日结', category: '普工' }],
  ['category=仓储分拣 & settlement=daily', { category: '仓储分拣', settlement: 'daily' }],
  ['q=挖掘机 (no match: fallback)', { q: '挖掘机' }],
];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-talent-bench-'));
  const onServer = process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {};
  const config = parseConfig({ ...onServer, NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'bench-secret-bench-secret', LOG_LEVEL: 'silent', SEED_DEMO: 'false', MESSAGE_WORKER: 'false' });
  const { ctx } = await boot(config, createLogger('silent'), { migrate: true, seed: false });
  const db = ctx.db;

  const seedStart = Date.now();
  await db.execute(sql`insert into users (login, phone, role, display_name)
    select '139' || lpad(g::text, 8, '0'), '139' || lpad(g::text, 8, '0'), 'seeker', '求职者' || g from generate_series(1, ${SEEKERS}) g`);
  await db.execute(sql`insert into seeker_profiles (user_id, real_name, gender, birth_year, phone, district, intro, desired_types,
      desired_categories, preferred_settlement, certificates, updated_at)
    select id, '张' || id, 'male', 1990, phone,
      (array['宝安区','龙华区','龙岗区','南山区','福田区'])[1 + id % 5],
      (array['能吃苦,有两年工厂经验。','做过保安和门卫,能上夜班。','会开叉车,在物流园做过分拣。','餐厅服务员三年,会收银。','什么都能做,日结优先。'])[1 + id % 5],
      (array['{temp}','{parttime}','{dispatch,temp}','{}'])[1 + id % 4]::text[],
      (array['{普工}','{保安}','{仓储分拣,搬运装卸}','{服务员}','{}','{司机}'])[1 + id % 6]::text[],
      (array['daily','weekly','monthly',null])[1 + id % 4],
      (array['{叉车证}','{}','{健康证}','{}','{电工证}','{}','{}'])[1 + id % 7]::text[],
      now() - (id % 90) * interval '1 day'
    from users where role = 'seeker'`);
  await db.execute(sql`insert into talent_pool_members (user_id) select id from users where role = 'seeker'`);
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const indexStart = Date.now();
  const indexed = await reindexTalent(db, { unindexed: true });
  const indexSeconds = (Date.now() - indexStart) / 1000;

  console.log(`talent search: ${SEEKERS} public resumes, ${onServer.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; seeded in ${seedSeconds.toFixed(1)} s, ${indexed} indexed in ${indexSeconds.toFixed(1)} s`);
  console.log('| query | results | median ms | max ms |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, filters] of QUERIES) {
    const now = new Date();
    const first = await searchTalent(db, filters, 1, 20, now);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = process.hrtime.bigint();
      await searchTalent(db, filters, 1, 20, now);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${label} | ${first.total} | ${times[3]!.toFixed(1)} | ${times[6]!.toFixed(1)} |`);
  }
  await ctx.messaging.stop();
  await ctx.dbHandle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
