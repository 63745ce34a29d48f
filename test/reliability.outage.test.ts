// When the PostgreSQL server goes away and comes back: 503s quickly, no crash, and recovery without a restart.
import { startServer } from './helpers/processes';
import { startPgServer, type PgServer } from './helpers/pgServer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

let pg: PgServer;
beforeAll(async () => {
  pg = await startPgServer();
});
afterAll(() => pg?.destroy());

async function timed(url: string): Promise<{ status: number; ms: number; text: string }> {
  const started = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, ms: Date.now() - started, text: await res.text() };
}

it('answers 503 quickly while the database is down, and recovers by itself', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-outage-'));
  const app = await startServer({ DATABASE_URL: pg.url, DATA_DIR: dataDir, SEED_DEMO: 'true', DB_CONNECT_TIMEOUT_MS: '1000' });
  const base = `http://127.0.0.1:${app.port}`;
  try {
    expect((await timed(`${base}/`)).status).toBe(200);

    pg.stop();
    for (const route of ['/', '/healthz', '/login', '/news']) {
      const res = await timed(`${base}${route}`);
      expect(res.status).toBe(503);
      expect(res.ms).toBeLessThan(5000);
      if (route !== '/healthz') expect(res.text).toContain('数据库暂时无法连接');
    }
    expect(app.child.exitCode).toBeNull();

    pg.start();
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await timed(`${base}/`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await timed(`${base}/healthz`)).status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
  }
});
