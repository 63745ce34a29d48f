// The applicant export's memory at 10,000 applications (issue 18): seeds one employer with 10,000 applicants on
// an embedded database, streams GET /employer/applicants.xlsx's export to a counting sink, and samples the heap
// and RSS. Run: node --expose-gc -r @swc-node/register bench/export-memory.ts [rows=10000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { exportApplicants } from '../src/features/workspace/workspace.export';
import { createLogger } from '../src/logger';

const ROWS = Number(process.argv[2] ?? 10_000);
const MB = 1024 * 1024;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-export-bench-'));
  const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'bench-secret-bench-secret', LOG_LEVEL: 'silent', SEED_DEMO: 'false', MESSAGE_WORKER: 'false' });
  const { ctx } = await boot(config, createLogger('silent'), { migrate: true, seed: false });
  const db = ctx.db;

  const seedStart = Date.now();
  const inserted = (await db.execute(
    sql`insert into users (login, phone, role, display_name) values ('13800000000', '13800000000', 'employer', '导出测试企业') returning id`,
  )) as unknown as { rows: { id: number }[] };
  const employerId = Number(inserted.rows[0]!.id);
  await db.execute(sql`insert into employer_profiles (user_id, company_name, credit_code, contact_name, contact_phone, address)
    values (${employerId}, '深圳市导出测试有限公司', '91440300MA5DXXXX0X', '李经理', '13700001111', '宝安区')`);
  await db.execute(sql`insert into jobs (employer_id, title, type, category, district, address, pay_min, pay_max, pay_unit, pay_daily, settlement, headcount,
      description, contact_name, contact_phone, fee_attested, status, valid_until, submitted_at, published_at)
    select ${employerId}, '电子厂普工日结' || g, 'temp', '普工', '宝安区', '西乡街道', 220, 260, 'day', 220, 'daily', 20, '流水线装配', '李经理', '13700001111', true,
      'published', current_date + 30, now(), now() from generate_series(1, 20) g`);
  await db.execute(sql`insert into users (login, phone, role, display_name)
    select '139' || lpad(g::text, 8, '0'), '139' || lpad(g::text, 8, '0'), 'seeker', '求职者' || g from generate_series(1, ${ROWS}) g`);
  await db.execute(sql`insert into seeker_profiles (user_id, real_name, gender, birth_year, phone, district, intro, desired_types)
    select id, '张' || id, 'male', 1990, phone, '宝安区', '能吃苦,有两年工厂经验。', '{temp}' from users where role = 'seeker'`);
  await db.execute(sql`insert into applications (job_id, seeker_id, message, status)
    select (select min(id) from jobs) + (u.id % 20), u.id, '你好,我想应聘这个职位,随时可以到岗。', 'new' from users u where u.role = 'seeker'`);
  const seedSeconds = (Date.now() - seedStart) / 1000;

  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 10);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const start = Date.now();
  const rows = await exportApplicants(ctx, employerId, {}, sink);
  const seconds = (Date.now() - start) / 1000;
  clearInterval(sample);

  console.log(
    JSON.stringify(
      {
        rows,
        fileKb: Math.round(bytes / 1024),
        seconds,
        seedSeconds,
        heapBeforeMb: +(before.heapUsed / MB).toFixed(1),
        peakHeapMb: +(peakHeap / MB).toFixed(1),
        heapGrowthMb: +((peakHeap - before.heapUsed) / MB).toFixed(1),
        rssBeforeMb: +(before.rss / MB).toFixed(1),
        peakRssMb: +(peakRss / MB).toFixed(1),
      },
      null,
      2,
    ),
  );
  await ctx.dbHandle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

void main();
