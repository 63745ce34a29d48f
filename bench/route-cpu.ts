// Owns `bench/route-cpu.ts`: the CPU per request of random anonymous job pages, for one or more builds run in
// turn on one database seeded by `npm run bench:seed` (before/after comparisons on a shared machine: alternate the
// builds, same command). Per build: start `<root>/dist/server.js` in production mode, warm up, then autocannon
// (32 connections, a random listed job each request) and the CPU of the app process and of its PostgreSQL
// backends per answered request; then the same bytes from the bare node:http server for the app ÷ bare ratio.
// Usage: node -r @swc-node/register bench/route-cpu.ts --database-url URL [--seconds 10] [--rounds 2]
//          [--cpu-prof DIR] [--same] ROOT...
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDb, queryRows } from '../src/db/client';
import { chinaDate } from '../src/domain/dates';
import { freePort } from '../test/helpers/pgServer';
import { send } from './http';
import { cpuMs, productionLaunch } from './process';

const { values: args, positionals: roots } = parseArgs({
  allowPositionals: true,
  options: {
    'database-url': { type: 'string' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '1' },
    'cpu-prof': { type: 'string' },
    // One job page for every request: page-cache hits, what a job page costs when nothing is rendered.
    same: { type: 'boolean', default: false },
  },
});
const databaseUrl = args['database-url']!;
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const ROOT = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startApp(root: string, profDir?: string): Promise<{ child: ChildProcess; base: string; dataDir: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-cpu-'));
  const log = fs.openSync(path.join(dataDir, 'app.log'), 'a');
  // Each build as its own `npm start` runs it (memory settings and node flags), so builds compare as deployed.
  const launch = productionLaunch(root);
  const child = spawn(process.execPath, [...launch.nodeArgs, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), path.join(root, 'dist/server.js')], {
    cwd: root,
    env: { ...process.env, ...launch.env, NODE_ENV: 'production', NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SESSION_SECRET: 'bench-session-secret-0123456789', SEED_DEMO: 'false', LOG_LEVEL: 'info' },
    stdio: ['ignore', log, log],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`app exited, see ${dataDir}/app.log`);
    try {
      if ((await send(base, '/')).status === 200) return { child, base, dataDir };
    } catch {
      /* not yet */
    }
    await sleep(20);
  }
  throw new Error('no answer');
}

async function stop(child: ChildProcess, dataDir?: string): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const handle = await openDb({ databaseUrl });
  const ids = (await queryRows<{ id: number }>(handle.db, sql`select id from jobs where status = 'published' and valid_until >= ${chinaDate(new Date())} order by id`)).map((r) => r.id);
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const backends = async () => (await queryRows<{ pid: number }>(handle.db, sql`select pid from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`)).map((r) => r.pid);
  const backendCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + (fs.existsSync(`/proc/${pid}/stat`) ? cpuMs(pid) : 0), 0);
  const pathOf = args.same ? () => `/jobs/${ids[0]}` : () => `/jobs/${ids[Math.floor(Math.random() * ids.length)]}`;
  const cannon = (base: string, seconds: number, headers: Record<string, string> = {}) =>
    autocannon({ url: base, connections: 32, duration: seconds, headers: { 'user-agent': 'route-cpu', ...headers }, requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: pathOf() }) }] });

  // The bare server's figure, once: the same bytes (one job page) from memory.
  const sampleApp = await startApp(roots[0]!);
  const body = (await send(sampleApp.base, pathOf())).body;
  await stop(sampleApp.child, sampleApp.dataDir);
  const file = path.join(os.tmpdir(), `route-cpu-${process.pid}.html`);
  fs.writeFileSync(file, body);
  const bare = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'bench/bare.ts'), file], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await new Promise<number>((resolve) => bare.stdout!.on('data', (d) => resolve(Number(/"port":(\d+)/.exec(String(d))![1]))));
  await cannon(`http://127.0.0.1:${barePort}`, 2);
  const bareBefore = cpuMs(bare.pid!);
  const bareResult = await cannon(`http://127.0.0.1:${barePort}`, SECONDS);
  const bareCpu = (cpuMs(bare.pid!) - bareBefore) / bareResult.requests.total;
  await stop(bare);
  fs.rmSync(file, { force: true });
  console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} · bare ${bareResult.requests.average.toFixed(0)} req/s, ${bareCpu.toFixed(3)} CPU ms/req · ${ids.length} listed jobs · ${body.length} bytes`);

  for (let round = 0; round < Number(args.rounds); round++) {
    for (const root of roots) {
      const app = await startApp(root, args['cpu-prof']);
      const pid = app.child.pid!;
      await cannon(app.base, WARMUP);
      const pids = await backends();
      const [appBefore, dbBefore] = [cpuMs(pid), backendCpu(pids)];
      const result = await cannon(app.base, SECONDS);
      const n = result.requests.total;
      const appCpu = (cpuMs(pid) - appBefore) / n;
      const dbCpu = (backendCpu(pids) - dbBefore) / n;
      await stop(app.child, app.dataDir);
      console.log(
        `${new Date().toISOString().slice(11, 19)} ${root}: ${result.requests.average.toFixed(0)} req/s, app ÷ bare ${(result.requests.average / bareResult.requests.average).toFixed(2)}, ` +
          `node ${appCpu.toFixed(3)} + PostgreSQL ${dbCpu.toFixed(3)} CPU ms/req, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} errors · load ${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
