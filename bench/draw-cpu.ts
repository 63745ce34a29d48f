// Owns `bench/draw-cpu.ts`: the CPU of drawing anonymous job pages inside one process, with no HTTP, for one or more
// builds in turn: what a page-cache miss costs beyond a hit (bench/route-cpu.ts measures the whole request).
// Per build: its `dist/` loaded (as `npm start` would boot it, production settings) on a database seeded by
// `npm run bench:seed`; then 32 loops draw uniformly random listed jobs for --seconds (the generation read, the row,
// the locals, the render, the bytes: the page cache's `draw`), and the process's CPU per page is printed.
// With --render-only the same 300 job pages' data is read once and only the locals, render and bytes are timed.
// Usage: node -r @swc-node/register bench/draw-cpu.ts --database-url URL [--seconds 8] [--render-only] ROOT...
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { productionLaunch } from './process';

const { values: args, positionals: roots } = parseArgs({
  allowPositionals: true,
  options: {
    'database-url': { type: 'string' },
    seconds: { type: 'string', default: '8' },
    'render-only': { type: 'boolean', default: false },
    // Internal: run one build in this process.
    child: { type: 'string' },
  },
});

type Draw = (...args: unknown[]) => Promise<Buffer | string | undefined>;

async function measure(root: string): Promise<string> {
  const load = (module: string) => require(path.join(root, 'dist', module)) as Record<string, (...a: unknown[]) => unknown>;
  const { parseConfig } = load('config');
  const { createLogger } = load('logger');
  const { boot } = load('bootstrap');
  const { anonymousJobPage } = load('features/jobs/jobs.routes');
  const { drawAnonymous } = load('web/locals');
  const { generationsOf } = load('db/generations');
  const { ctx } = (await boot(parseConfig(), createLogger('warn'), { warmSegmenter: false })) as { ctx: { db: { $client: { query(sql: string): Promise<{ rows: { id: number }[] }> } } } };
  const ids = (await ctx.db.$client.query("select id from jobs where status = 'published' and valid_until >= (now() at time zone 'Asia/Shanghai')::date")).rows.map((r) => r.id);
  const reader = generationsOf(ctx.db) as { read(): Promise<unknown> };
  // A draw takes (path, match, since) since feat/jobpage5, (req, res, match) before: each build is called its way.
  const pathFirst = fs.readFileSync(path.join(root, 'dist/web/pageCache.js'), 'utf8').includes('readToDraw');
  const callDraw = (draw: Draw, pagePath: string, match: unknown[], arrivedAt: number) =>
    pathFirst ? draw(pagePath, match, arrivedAt) : draw({ path: pagePath }, { locals: { arrivedAt } }, match);
  // Main's draw gives a string, this branch's bytes: both end as bytes, as the page cache sends them.
  const bytes = async (drawn: Promise<Buffer | string | undefined>) => {
    const page = await drawn;
    if (typeof page === 'string') Buffer.from(page);
  };
  let pages = 0;
  let run: (ms: number) => Promise<void>;
  if (args['render-only']) {
    const views: [number, Draw][] = [];
    for (const id of ids.slice(0, 300)) {
      const view = await anonymousJobPage(ctx, String(id), undefined);
      if (view) views.push([id, drawAnonymous(ctx, async () => view) as Draw]);
    }
    run = async (ms) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        for (const [id, draw] of views) await bytes(callDraw(draw, `/jobs/${id}`, [], 0));
        pages += views.length;
      }
    };
  } else {
    const draw = drawAnonymous(ctx, (match: unknown, since: unknown) => anonymousJobPage(ctx, (match as string[])[1], since)) as Draw;
    const loop = async (until: number) => {
      while (performance.now() < until) {
        const id = ids[Math.floor(Math.random() * ids.length)]!;
        const arrivedAt = performance.now();
        // The page cache reads the generations first; the draw's reads share that read.
        await reader.read();
        await bytes(callDraw(draw, `/jobs/${id}`, [null, String(id)], arrivedAt));
        pages++;
      }
    };
    run = async (ms) => {
      const until = performance.now() + ms;
      await Promise.all(Array.from({ length: 32 }, () => loop(until)));
    };
  }
  await run(3000);
  pages = 0;
  const before = process.cpuUsage();
  await run(Number(args.seconds) * 1000);
  const cpu = process.cpuUsage(before);
  return `${root}: ${((cpu.user + cpu.system) / pages).toFixed(1)} CPU µs per ${args['render-only'] ? 'render (locals, render, bytes)' : 'drawn page with its reads'}, ${pages} pages`;
}

if (args.child) {
  measure(args.child).then(
    (line) => {
      console.log(line);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  // Each build in a process of its own, with the node flags and memory settings of its `npm start`.
  for (const root of roots) {
    const launch = productionLaunch(root);
    const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: args['database-url']!, SESSION_SECRET: 'bench-session-secret-0123456789', SEED_DEMO: 'false', LOG_LEVEL: 'warn', PUBLIC_URL: 'http://127.0.0.1:1', DATA_DIR: path.join(os.tmpdir(), 'draw-cpu'), ...launch.env };
    const own = [...launch.nodeArgs, ...process.execArgv, __filename, '--child', path.resolve(root), ...(args['render-only'] ? ['--render-only'] : []), '--seconds', args.seconds!];
    const result = spawnSync(process.execPath, own, { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(`${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0]!.toFixed(2)} ${result.stdout}`);
  }
}
