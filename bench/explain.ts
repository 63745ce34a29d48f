// `npm run bench:explain`: EXPLAIN ANALYZE of every query the two benchmark search pages run (add --exhaustive for
// the full ranking the top-N search replaces), on the
// database in BENCH_DATABASE_URL (or --database-url), or the embedded one in --data-dir (default data/bench).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDb, queryRows } from '../src/db/client';
import { chinaDate } from '../src/domain/dates';
import { searchListedJobs } from '../src/features/jobs/jobs.queries';
import { parseJobListQuery } from '../src/features/jobs/jobs.validation';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'data-dir': { type: 'string', default: path.resolve(__dirname, '../data/bench') },
    query: { type: 'string', multiple: true },
    exhaustive: { type: 'boolean', default: false },
  },
});

/** A parameter as an SQL literal, so the captured statement can be explained as text. */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `array[${v.map(literal).join(', ')}]`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

async function main(): Promise<void> {
  const captured: { query: string; params: unknown[] }[] = [];
  let capturing = false;
  const handle = await openDb({
    databaseUrl: values['database-url'] ?? process.env.BENCH_DATABASE_URL,
    dataDir: values['data-dir'],
    logQuery: (query, params) => capturing && captured.push({ query, params }),
  });
  try {
    const searches = values.query ?? ['q=普工', 'q=南山 临时工&settlement=daily', ''];
    for (const qs of searches) {
      const query = parseJobListQuery(Object.fromEntries(new URLSearchParams(qs)), {});
      captured.length = 0;
      capturing = true;
      await searchListedJobs(handle.db, query, chinaDate(new Date()), undefined, { exhaustive: values.exhaustive });
      capturing = false;
      for (const c of [...captured]) {
        const text = c.query.replace(/\$(\d+)/g, (_, n: string) => literal(c.params[Number(n) - 1]));
        // The top-N search's own count estimate is an EXPLAIN already: shown as the statement it plans.
        if (/^explain /i.test(text)) {
          console.log(`\n### /jobs?${qs} (count estimate: planned, not run)\n${text}`);
          continue;
        }
        const plan = await queryRows<Record<string, string>>(handle.db, sql.raw(`explain (analyze, buffers) ${text}`));
        console.log(`\n### /jobs?${qs}\n${text}\n`);
        console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
      }
    }
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
