// Abuse and bad input at the HTTP edge: oversized bodies, floods of logins, slow clients.
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser, TEST_PASSWORD } from './helpers/factories';
import { startServer } from './helpers/processes';
import { isServerMode } from './helpers/db';

jest.setTimeout(120_000);

describe('oversized and malformed bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 413 with a Chinese page to a form body over the limit', async () => {
    const client = t.client();
    const res = await client.post('/login', { login: 'x', password: 'y'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('提交的内容太大');
  });

  it('answers 400, not 500, to a malformed urlencoded body and to too many fields', async () => {
    const client = t.client();
    await client.refreshCsrf();
    const many = Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&');
    const res = await client.agent.post('/login').type('form').send(`_csrf=${client.csrf}&${many}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('1,000 rapid logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ limits: { loginPerAccount: 5, loginPerIp: 20 } });
  });
  afterAll(() => t.close());

  it('are rate-limited, answered without a crash, and the real user can still log in from elsewhere later', async () => {
    const user = await makeUser(t.ctx, 'seeker');
    const client = t.client();
    await client.refreshCsrf();
    const statuses: Record<number, number> = {};
    // 1,000 attempts, 50 at a time.
    for (let round = 0; round < 20; round++) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          client.agent.post('/login').type('form').send({ _csrf: client.csrf, login: user.login, password: `guess-${round}-${i}` }),
        ),
      );
      for (const r of batch) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    expect(Object.keys(statuses).map(Number).every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses[429]).toBeGreaterThanOrEqual(975);
    expect((await t.client().get('/healthz')).status).toBe(200);
    // The account stays locked for this window, whoever tries.
    expect((await t.client().post('/login', { login: user.login, password: TEST_PASSWORD })).status).toBe(429);
  });
});

const embedded = isServerMode() ? describe.skip : describe;

embedded('slow clients', () => {
  it('a client that sends its headers too slowly (slow-loris) loses the socket', async () => {
    const server = await startServer({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'plw-slow-')), SEED_DEMO: 'false', HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' });
    try {
      const closedAfter = await new Promise<number>((resolve) => {
        const started = Date.now();
        const socket = net.connect(server.port, '127.0.0.1', () => {
          socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
          const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
          socket.on('close', () => {
            clearInterval(drip);
            resolve(Date.now() - started);
          });
        });
        socket.on('error', () => {});
      });
      expect(closedAfter).toBeLessThan(5000);
      // The server still answers everyone else.
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
