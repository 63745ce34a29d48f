// Load without loss: starts the built app (production mode) on a fresh database, signs up seekers, runs a mixed load
// (browse, search, apply with a resume upload, upload) at 32 connections, then checks one by one that every
// application answered with success is in the database with its resume file on disk, byte for byte.
//
//   npm run bench:load -- [--duration 60] [--connections 32] [--seekers 64]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:load   (a fresh database on that server)
//
// Exits non-zero on any 5xx, any failed request, or any lost application or file.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDb, queryRows, quoteIdent, runAdminStatement, withDatabase } from '../src/db/client';

const ROOT = path.resolve(__dirname, '..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const DURATION_S = option('duration', 60);
const CONNECTIONS = option('connections', 32);
const SEEKERS = option('seekers', 64);
const PASSWORD = 'bench-password-1';
const BENCH_ADMIN = { login: 'bench-admin@example.com', password: 'bench-admin-password-1' };
const RESUME_LIMIT = 5;
const SEARCHES = ['普工', '日结', '南山 临时工', '仓库', '服务员', '保安', '宝安区', '兼职', '搬运', '分拣员'];

type Seeker = { login: string; cookie: string; csrf: string; uploaded: Set<string>; resumeIds: number[]; applied: Set<number>; busy: boolean };
/** One application the app accepted: who, which job, and the hashes its resume may have. */
type Accepted = { login: string; jobId: number; hashes: string[] };
type OpStats = { count: number; statuses: Map<number, number>; totalMs: number; maxMs: number };

const stats = new Map<string, OpStats>();
const accepted: Accepted[] = [];
let failures = 0;

function record(op: string, status: number, ms: number): void {
  const s = stats.get(op) ?? { count: 0, statuses: new Map(), totalMs: 0, maxMs: 0 };
  s.count += 1;
  s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
  s.totalMs += ms;
  s.maxMs = Math.max(s.maxMs, ms);
  stats.set(op, s);
}

// ---------------------------------------------------------------------------------------------------------
// The app under test

type App = { base: string; child: ChildProcess; output: () => string; stop(): Promise<number | null>; dataDir: string; uploadDir: string; databaseUrl?: string; dropDb?: () => Promise<void> };

async function startApp(): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-bench-'));
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  const server = process.env.BENCH_DATABASE_URL;
  if (server) {
    const name = `bench_${Date.now().toString(36)}`;
    await runAdminStatement(server, `CREATE DATABASE ${quoteIdent(name)}`);
    databaseUrl = withDatabase(server, name);
    dropDb = () => runAdminStatement(server, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
  const limit = '1000000';
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SESSION_SECRET: crypto.randomBytes(24).toString('hex'),
      SEED_DEMO: 'true',
      // info: the start-up line gives the port; request lines are read once and dropped (only the tail is kept).
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl ?? '',
      // The load comes from one address: raise the per-IP and per-user limits through their settings (security stays on).
      RATE_LIMIT_SIGNUP_PER_IP: limit,
      RATE_LIMIT_LOGIN_PER_IP: limit,
      RATE_LIMIT_LOGIN_PER_ACCOUNT: limit,
      RATE_LIMIT_APPLY_PER_USER: limit,
      RATE_LIMIT_APPLY_PER_IP: limit,
      RATE_LIMIT_CODE_PER_IP: limit,
      CODE_DAILY_BUDGET: limit,
      // Signup takes a code; the bench reads it from /admin/outbox as this admin, as a tester would.
      ADMIN_LOGIN: BENCH_ADMIN.login,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  let port = 0;
  while (!port) {
    const m = /"port":(\d+)/.exec(out) ?? /listening on http:\/\/localhost:(\d+)/.exec(out);
    if (m) port = Number(m[1]);
    else if (child.exitCode !== null) throw new Error(`the app exited at start:\n${out}`);
    else if (Date.now() - started > 90_000) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start:\n${out}`);
    }
    else await sleep(100);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    dataDir,
    uploadDir: path.join(dataDir, 'uploads'),
    databaseUrl,
    dropDb,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------
// A browser-like client: one cookie, the CSRF token of the last form seen

const TOKEN_RE = /name="_csrf" value="([^"]+)"/;

async function request(app: App, op: string, p: string, init: RequestInit & { cookie?: string } = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const started = performance.now();
  let status = 0;
  try {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    const res = await fetch(app.base + p, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    status = res.status;
    const text = await res.text();
    return { status, text, headers: res.headers };
  } catch (err) {
    failures += 1;
    throw err;
  } finally {
    record(op, status, performance.now() - started);
  }
}

function cookieFrom(headers: Headers, previous: string): string {
  const set = headers.getSetCookie().find((c) => c.startsWith('pc.sid='));
  return set ? set.split(';')[0]! : previous;
}

/** An admin session, to read signup codes from /admin/outbox (the outbox driver keeps them there). */
async function adminSession(app: App): Promise<string> {
  const form = await request(app, 'signup', '/login');
  const cookie = cookieFrom(form.headers, '');
  const csrf = TOKEN_RE.exec(form.text)?.[1] ?? '';
  const body = new URLSearchParams({ _csrf: csrf, login: BENCH_ADMIN.login, password: BENCH_ADMIN.password });
  const res = await request(app, 'signup', '/login', { method: 'POST', body, cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (res.status !== 303) throw new Error(`admin login answered ${res.status}`);
  return cookieFrom(res.headers, cookie);
}

async function signUp(app: App, admin: string, login: string): Promise<Seeker> {
  const form = await request(app, 'signup', '/signup');
  let cookie = cookieFrom(form.headers, '');
  const csrf = TOKEN_RE.exec(form.text)?.[1] ?? '';
  const fields = { _csrf: csrf, role: 'seeker', login, password: PASSWORD, passwordConfirm: PASSWORD, displayName: `压测用户${login.slice(-4)}`, consent: 'yes' };
  const sent = await request(app, 'signup', '/auth/code', { method: 'POST', body: new URLSearchParams({ ...fields, purpose: 'signup' }), cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (sent.status !== 200) throw new Error(`code for ${login} answered ${sent.status}`);
  const outbox = await request(app, 'signup', `/admin/outbox?to=${login}`, { cookie: admin });
  const code = /验证码 (\d{6}),用于注册/.exec(outbox.text)?.[1];
  if (!code) throw new Error(`no code for ${login} in /admin/outbox (status ${outbox.status})`);
  const body = new URLSearchParams({ ...fields, code });
  const res = await request(app, 'signup', '/signup', { method: 'POST', body, cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (res.status !== 303) throw new Error(`signup of ${login} answered ${res.status}`);
  cookie = cookieFrom(res.headers, cookie);
  const me = await request(app, 'browse', '/me', { cookie });
  const token = TOKEN_RE.exec(me.text)?.[1];
  if (!token) throw new Error(`no CSRF token for ${login} (status ${me.status})`);
  return { login, cookie, csrf: token, uploaded: new Set(), resumeIds: [], applied: new Set(), busy: false };
}

/** A real, distinct PDF for every upload, so each stored file can be matched to the request that sent it. */
function resumePdf(): { bytes: Buffer; hash: string } {
  const nonce = crypto.randomBytes(16).toString('hex');
  const bytes = Buffer.from(`%PDF-1.4\n% ${nonce}\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`);
  return { bytes, hash: sha256(bytes) };
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function listJobIds(app: App): Promise<number[]> {
  const ids = new Set<number>();
  for (let page = 1; page <= 10; page++) {
    const res = await request(app, 'browse', `/jobs?page=${page}`);
    if (res.status !== 200) break;
    for (const m of res.text.matchAll(/href="\/jobs\/(\d+)"/g)) ids.add(Number(m[1]));
  }
  return [...ids];
}

// ---------------------------------------------------------------------------------------------------------
// The operations of the mix

async function browse(app: App, jobIds: number[]): Promise<void> {
  const p = Math.random() < 0.5 ? `/jobs?page=${1 + Math.floor(Math.random() * 2)}` : `/jobs/${pick(jobIds)}`;
  await request(app, 'browse', p);
}

async function search(app: App): Promise<void> {
  await request(app, 'search', `/jobs?q=${encodeURIComponent(pick(SEARCHES))}`);
}

async function refreshResumeIds(app: App, s: Seeker): Promise<void> {
  const res = await request(app, 'browse', '/me/resumes', { cookie: s.cookie });
  s.resumeIds = [...new Set([...res.text.matchAll(/action="\/me\/resumes\/(\d+)\/rename"/g)].map((m) => Number(m[1])))];
}

async function upload(app: App, s: Seeker): Promise<void> {
  const { bytes, hash } = resumePdf();
  const form = new FormData();
  form.append('title', `压测简历${s.uploaded.size + 1}`);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), '简历.pdf');
  const res = await request(app, 'upload', `/me/resumes?_csrf=${encodeURIComponent(s.csrf)}`, { method: 'POST', body: form, cookie: s.cookie });
  if (res.status === 303) s.uploaded.add(hash);
}

async function apply(app: App, s: Seeker, jobIds: number[]): Promise<void> {
  const open = jobIds.filter((id) => !s.applied.has(id));
  if (!open.length) return browse(app, jobIds);
  const jobId = pick(open);
  s.applied.add(jobId); // tried: never twice, whatever the answer
  const form = new FormData();
  form.append('message', '您好,我想应聘这个职位,可以随时到岗。');
  form.append('shareConsent', 'yes'); // the box the first application to each employer asks for (ignored after)
  let hashes: string[];
  if (s.uploaded.size < RESUME_LIMIT) {
    const { bytes, hash } = resumePdf();
    form.append('resumeId', 'new');
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), '我的简历.pdf');
    hashes = [hash];
    const res = await request(app, 'apply', `/jobs/${jobId}/apply?_csrf=${encodeURIComponent(s.csrf)}`, { method: 'POST', body: form, cookie: s.cookie });
    if (res.status === 303) {
      s.uploaded.add(hash);
      accepted.push({ login: s.login, jobId, hashes });
    }
    return;
  }
  if (s.resumeIds.length === 0) await refreshResumeIds(app, s);
  form.append('resumeId', String(pick(s.resumeIds)));
  // An existing resume: whichever it is, its bytes are one of those this seeker uploaded.
  hashes = [...s.uploaded];
  const res = await request(app, 'apply', `/jobs/${jobId}/apply?_csrf=${encodeURIComponent(s.csrf)}`, { method: 'POST', body: form, cookie: s.cookie });
  if (res.status === 303) accepted.push({ login: s.login, jobId, hashes });
}

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

async function worker(app: App, seekers: Seeker[], jobIds: number[], deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const r = Math.random();
    try {
      if (r < 0.35) await browse(app, jobIds);
      else if (r < 0.6) await search(app);
      else {
        // A seeker is used by one connection at a time, as a person in one browser tab would.
        const s = seekers.find((x) => !x.busy && (r < 0.85 ? x.applied.size < jobIds.length : x.uploaded.size < RESUME_LIMIT));
        if (!s) {
          await browse(app, jobIds);
          continue;
        }
        s.busy = true;
        try {
          if (r < 0.85) await apply(app, s, jobIds);
          else await upload(app, s);
        } finally {
          s.busy = false;
        }
      }
    } catch {
      // counted in `failures` by request()
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// After the run: every accepted application, one by one

async function verify(app: App): Promise<{ checked: number; missingRows: number; missingFiles: number; wrongBytes: number }> {
  const handle = await openDb(app.databaseUrl ? { databaseUrl: app.databaseUrl } : { dataDir: app.dataDir });
  try {
    const rows = await queryRows<{ login: string; job_id: number; storage_key: string | null }>(
      handle.db,
      sql`select u.login, a.job_id, f.storage_key from applications a join users u on u.id = a.seeker_id
          left join resumes r on r.id = a.resume_id left join files f on f.id = r.file_id`,
    );
    const byKey = new Map(rows.map((r) => [`${r.login}/${r.job_id}`, r]));
    let missingRows = 0;
    let missingFiles = 0;
    let wrongBytes = 0;
    for (const a of accepted) {
      const row = byKey.get(`${a.login}/${a.jobId}`);
      if (!row) {
        missingRows += 1;
        console.error(`LOST: the application of ${a.login} to job ${a.jobId} was answered 303 but is not in the database`);
        continue;
      }
      const file = row.storage_key ? path.join(app.uploadDir, row.storage_key) : '';
      if (!file || !fs.existsSync(file)) {
        missingFiles += 1;
        console.error(`LOST: the resume file of ${a.login}'s application to job ${a.jobId} is not on disk (${row.storage_key})`);
        continue;
      }
      if (!a.hashes.includes(sha256(fs.readFileSync(file)))) {
        wrongBytes += 1;
        console.error(`CHANGED: the resume file of ${a.login}'s application to job ${a.jobId} does not hold the bytes sent`);
      }
    }
    return { checked: accepted.length, missingRows, missingFiles, wrongBytes };
  } finally {
    await handle.close();
  }
}

function printTable(seconds: number): number {
  let fiveHundreds = 0;
  console.log(`\n${'operation'.padEnd(10)}${'requests'.padStart(10)}${'req/s'.padStart(8)}${'avg ms'.padStart(9)}${'max ms'.padStart(9)}  statuses`);
  for (const [op, s] of [...stats].sort()) {
    const statuses = [...s.statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code || 'ERR'}×${n}`).join(' ');
    for (const [code, n] of s.statuses) if (code >= 500) fiveHundreds += n;
    console.log(`${op.padEnd(10)}${String(s.count).padStart(10)}${(s.count / seconds).toFixed(1).padStart(8)}${(s.totalMs / s.count).toFixed(0).padStart(9)}${s.maxMs.toFixed(0).padStart(9)}  ${statuses}`);
  }
  return fiveHundreds;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js'))) throw new Error('dist/server.js is missing: run `npm run build` first (npm run bench:load does)');
  console.log(`load without loss: ${DURATION_S} s, ${CONNECTIONS} connections, ${SEEKERS} seekers, database: ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL server' : 'PGlite (embedded)'}`);
  const app = await startApp();
  let exitCode = 1;
  try {
    const jobIds = await listJobIds(app);
    if (jobIds.length === 0) throw new Error('the demo seed published no jobs');
    const seekers: Seeker[] = [];
    const admin = await adminSession(app);
    const base = 13_600_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
    for (let i = 0; i < SEEKERS; i += 8) {
      seekers.push(...(await Promise.all(Array.from({ length: Math.min(8, SEEKERS - i) }, (_, k) => signUp(app, admin, String(base + i + k))))));
    }
    console.log(`seeded: ${jobIds.length} published jobs (demo seed), ${seekers.length} seekers signed up and signed in`);
    stats.clear();
    const started = Date.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, () => worker(app, seekers, jobIds, started + DURATION_S * 1000)));
    const seconds = (Date.now() - started) / 1000;
    const fiveHundreds = printTable(seconds);
    const code = await app.stop();
    console.log(`\napp stopped with exit code ${code} (SIGTERM, graceful)`);
    const v = await verify(app);
    console.log(`applications answered 303: ${v.checked}; in the database: ${v.checked - v.missingRows}; resume file on disk with the bytes sent: ${v.checked - v.missingRows - v.missingFiles - v.wrongBytes}`);
    const lost = v.missingRows + v.missingFiles + v.wrongBytes;
    console.log(`5xx: ${fiveHundreds}; failed requests (no answer): ${failures}; lost or changed: ${lost}`);
    exitCode = fiveHundreds === 0 && failures === 0 && lost === 0 && code === 0 && v.checked > 0 ? 0 : 1;
    console.log(exitCode === 0 ? 'OK: nothing lost' : 'FAILED');
  } catch (err) {
    console.error(err);
    console.error(app.output().slice(-3000));
  } finally {
    if (app.child.exitCode === null) await app.stop();
    await app.dropDb?.().catch(() => {});
    fs.rmSync(app.dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

void main();
