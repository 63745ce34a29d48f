// The embedded database survives kill -9 during a write burst, and a data dir it cannot open stops start-up with advice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, runTs } from './helpers/processes';
import { isServerMode } from './helpers/db';
import { adminCookie, PROCESS_ADMIN_ENV, signupFormWithCode } from './helpers/httpSignup';

jest.setTimeout(180_000);

const embedded = isServerMode() ? describe.skip : describe;

/** Posts a signup form that is ready (its code already typed). Resolves with the status. */
async function signup(base: string, form: { cookie: string; body: string }): Promise<number> {
  const res = await fetch(`${base}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.body,
  });
  return res.status;
}

embedded('PGlite crash safety', () => {
  it('keeps every write that was answered 2xx/3xx when the process is killed with -9 mid-burst', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-crash-'));
    // All the codes come from this one address.
    const env = { DATA_DIR: dataDir, SEED_DEMO: 'false', RATE_LIMIT_CODE_PER_IP: '1000', ...PROCESS_ADMIN_ENV };
    const server = await startServer(env);
    const base = `http://127.0.0.1:${server.port}`;
    const admin = await adminCookie(base);
    // The forms are filled first (a code each, from the outbox): the burst is then only the signups' writes.
    const forms: { login: string; cookie: string; body: string }[] = [];
    for (let i = 0; i < 48; i += 4) {
      const logins = [0, 1, 2, 3].map((k) => `1350000${String(i + k).padStart(4, '0')}`);
      const ready = await Promise.all(logins.map((login) => signupFormWithCode(base, admin, { role: 'seeker', login, displayName: '压测', password: 'crash-test-1', passwordConfirm: 'crash-test-1', consent: 'yes' })));
      forms.push(...ready.map((f, k) => ({ ...f, login: logins[k]! })));
    }
    const confirmed: string[] = [];
    // Killed once 8 signups were answered, whatever the machine's speed (a fixed delay saw only 5 under load).
    let reachedEight!: () => void;
    const eightConfirmed = new Promise<void>((r) => (reachedEight = r));
    const worker = async () => {
      for (let form = forms.shift(); form; form = forms.shift()) {
        try {
          if ((await signup(base, form)) === 303 && confirmed.push(form.login) === 8) reachedEight();
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    // Killed mid-burst: 8 of the 48 answered, the rest in flight or waiting.
    await Promise.race([eightConfirmed, Promise.all(workers)]);
    server.child.kill('SIGKILL');
    await Promise.all(workers);
    await server.exited;
    expect(confirmed.length).toBeGreaterThanOrEqual(8);
    expect(confirmed.length).toBeLessThan(48);

    // The lock of the killed process is stale; the database opens and replays its WAL.
    const again = await startServer(env);
    try {
      for (const login of confirmed) {
        const page = await fetch(`http://127.0.0.1:${again.port}/login`);
        const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
        const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
        const res = await fetch(`http://127.0.0.1:${again.port}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: token, login, password: 'crash-test-1' }).toString(),
        });
        expect({ login, status: res.status }).toEqual({ login, status: 303 });
      }
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('stops with a clear message and the restore command when the data dir cannot be opened', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-corrupt-'));
    const pgdata = path.join(dataDir, 'pglite');
    fs.mkdirSync(pgdata, { recursive: true });
    // A data dir that is not a PostgreSQL cluster at all: a version file of garbage and no catalog.
    fs.writeFileSync(path.join(pgdata, 'PG_VERSION'), 'garbage\n');
    const proc = runTs('src/server.ts', [], { DATA_DIR: dataDir, PORT: '0' });
    const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000).unref())]);
    if (code === 'timeout') proc.child.kill('SIGKILL');
    expect(code).toBe(1);
    expect(proc.output()).toContain('无法打开内嵌数据库');
    expect(proc.output()).toContain('npm run db:restore');
    expect(proc.output()).not.toMatch(/^\s+at /m); // no stack trace
  });
});
