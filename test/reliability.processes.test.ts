// Processes: graceful shutdown drains in-flight requests; two app processes share sessions and rate limits on one PostgreSQL.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './helpers/processes';
import { startPgServer, type PgServer } from './helpers/pgServer';
import { isServerMode } from './helpers/db';
import { adminCookie, PROCESS_ADMIN_ENV, signupFormWithCode } from './helpers/httpSignup';

jest.setTimeout(180_000);

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

/** A browser session against one base URL: cookie jar of one cookie, and the last CSRF token seen. */
class Session {
  cookie = '';
  token = '';
  constructor(public base: string) {}
  async get(p: string): Promise<{ status: number; text: string; location: string | null }> {
    const res = await fetch(this.base + p, { redirect: 'manual', headers: this.cookie ? { cookie: this.cookie } : {} });
    this.take(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.token = m[1]!;
    return { status: res.status, text, location: res.headers.get('location') };
  }
  async post(p: string, form: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const res = await fetch(this.base + p, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.token, ...form }).toString(),
    });
    this.take(res);
    await res.text();
    return { status: res.status, location: res.headers.get('location') };
  }
  private take(res: Response) {
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
  }
}

const embedded = isServerMode() ? describe.skip : describe;

embedded('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, exits 0, and the write survives a restart', async () => {
    const dataDir = tmp('plw-drain-');
    const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'false', ...PROCESS_ADMIN_ENV });
    const base = `http://127.0.0.1:${server.port}`;
    const s = new Session(base);
    const form = await signupFormWithCode(base, await adminCookie(base), { role: 'seeker', login: '13512340000', displayName: '慢用户', password: 'drain-test-1', passwordConfirm: 'drain-test-1', consent: 'yes' });
    s.cookie = form.cookie;
    const body = form.body;

    // Send the headers and half the body, then SIGTERM while the request is in flight.
    const response = new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/signup', method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(async () => {
          // New connections are refused while the old one drains.
          await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
          req.end(body.slice(20));
        }, 700);
      }, 300);
    });
    expect(await response).toBe(303);
    expect(await server.exited).toBe(0);

    const again = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'false', ...PROCESS_ADMIN_ENV });
    try {
      const s2 = new Session(`http://127.0.0.1:${again.port}`);
      await s2.get('/login');
      expect((await s2.post('/login', { login: '13512340000', password: 'drain-test-1' })).status).toBe(303);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});

describe('two app processes on one PostgreSQL', () => {
  let pg: PgServer;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    pg = await startPgServer();
    const uploads = tmp('plw-shared-uploads-');
    const env = { DATABASE_URL: pg.url, UPLOAD_DIR: uploads, SESSION_SECRET: 'shared-secret-for-both-processes', SEED_DEMO: 'true', ...PROCESS_ADMIN_ENV };
    // Started together: migrations and the demo seed must happen exactly once.
    [a, b] = await Promise.all([startServer({ ...env, DATA_DIR: tmp('plw-a-') }), startServer({ ...env, DATA_DIR: tmp('plw-b-') })]);
  });
  afterAll(async () => {
    for (const p of [a, b]) {
      if (!p) continue;
      p.child.kill('SIGTERM');
      await p.exited;
    }
    pg?.destroy();
  });

  it('seeds once, and a session made on one process works on the other', async () => {
    expect([a.output(), b.output()].filter((o) => o.includes('demo data seeded'))).toHaveLength(1);
    const baseA = `http://127.0.0.1:${a.port}`;
    const onA = new Session(baseA);
    // The code is asked on A and read from the outbox through B: the queue and the outbox are shared too.
    const form = await signupFormWithCode(baseA, await adminCookie(`http://127.0.0.1:${b.port}`), { role: 'seeker', login: '13512341111', displayName: '两台机器', password: 'shared-pass-1', passwordConfirm: 'shared-pass-1', consent: 'yes' });
    const res = await fetch(`${baseA}/signup`, { method: 'POST', redirect: 'manual', headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form.body });
    expect(res.status).toBe(303);
    onA.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const onB = new Session(`http://127.0.0.1:${b.port}`);
    onB.cookie = onA.cookie;
    const page = await onB.get('/');
    expect(page.text).toContain('两台机器');
  });

  it('counts failed logins across both processes', async () => {
    const login = '13512342222';
    const sa = new Session(`http://127.0.0.1:${a.port}`);
    const sb = new Session(`http://127.0.0.1:${b.port}`);
    await sa.get('/login');
    await sb.get('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await (i % 2 ? sb : sa).post('/login', { login, password: `wrong-${i}-xx` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await sb.post('/login', { login, password: 'anything-at-all' })).status).toBe(429);
    expect((await sa.post('/login', { login, password: 'anything-at-all' })).status).toBe(429);
  });
});
