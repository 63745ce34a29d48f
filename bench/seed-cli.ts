// `npm run bench:seed -- --jobs 100000`: seeds the benchmark data into BENCH_DATABASE_URL (or --database-url),
// or into an embedded database in --data-dir (default data/bench), and reports how long it took.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../src/db/client';
import { createSettingsStore } from '../src/features/site/settings.service';
import { FULL_SCALE, scaledTargets, seedBench } from './seed';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: String(FULL_SCALE.jobs) },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string', default: path.resolve(__dirname, '../data/bench') },
  },
});

async function main(): Promise<void> {
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs must be a positive whole number');
  const targets = scaledTargets(jobs);
  const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL;
  const handle = await openDb({ databaseUrl, dataDir: values['data-dir'], statementTimeoutMs: 600_000 });
  try {
    await handle.migrate();
    await createSettingsStore(handle.db, {}).seedDefaults();
    console.log(`seeding ${databaseUrl ? 'PostgreSQL' : `PGlite in ${values['data-dir']}`}: ${JSON.stringify(targets)}`);
    const report = await seedBench(handle.db, targets, new Date(), (line) => console.log(line));
    console.log(`seeded in ${report.seconds.toFixed(1)} s (added ${JSON.stringify(report.added)})`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
