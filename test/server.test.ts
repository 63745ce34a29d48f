// The real server process: start-up, the data-dir lock, graceful shutdown and restart, and the admin CLI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from '../src/db/lock';
import { runTs, startServer } from './helpers/processes';
import { isServerMode } from './helpers/db';

jest.setTimeout(120_000);

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plw-proc-'));
}

describe('the data-dir lock', () => {
  it('refuses a second holder while the first process lives, and takes over a stale lock', async () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, 'app.lock'), String(holder.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(/正被另一个进程/);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.on('exit', r));
    }
    const release = acquireDataDirLock(dir); // the holder is gone: its lock is stale
    expect(fs.readFileSync(path.join(dir, 'app.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'app.lock'))).toBe(false);
  });
});

// These start the embedded database in a real process; server mode is covered by the PGlite run of the same file.
const embedded = isServerMode() ? describe.skip : describe;

embedded('npm start on the embedded database', () => {
  it('serves, refuses a second process on the same data dir, shuts down on SIGTERM, and keeps the data', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'true' };
    const first = await startServer(env);
    const home = await fetch(`http://127.0.0.1:${first.port}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('tel:075588828155');
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', db: 'ok' });
    // The default message channel: one start line says nothing really leaves the site.
    expect(first.output().split('\n').filter((l) => l.includes('no SMS or e-mail leaves this site'))).toHaveLength(1);

    const second = runTs('src/server.ts', [], { ...env, PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('正被另一个进程');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('database closed');
    expect(fs.existsSync(path.join(dataDir, 'app.lock'))).toBe(false);

    const again = await startServer(env);
    const news = await (await fetch(`http://127.0.0.1:${again.port}/`)).text();
    expect(news).toContain('彰显主城区责任担当香洲区节前实施首批民生微实事项目'); // seeded once, still there
    expect(again.output()).not.toContain('demo data seeded');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('stops with one readable line when a setting is invalid', async () => {
    const proc = runTs('src/server.ts', [], { DATA_DIR: tempDir(), PORT: 'abc' });
    expect(await proc.exited).toBe(78);
    expect(proc.output().trim().split('\n')).toHaveLength(1);
    expect(proc.output()).toContain('PORT');
  });

  it('admin:create asks for the password and creates the admin once', async () => {
    const dataDir = tempDir();
    const created = runTs('src/cli/admin-create.ts', ['13700000001', '老板'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 'long-password-1\nlong-password-1\n');
    expect(await created.exited).toBe(0);
    expect(created.output()).toContain('管理员 13700000001 已创建');
    const twice = runTs('src/cli/admin-create.ts', ['13700000001'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 'long-password-1\nlong-password-1\n');
    expect(await twice.exited).toBe(1);
    expect(twice.output()).toContain('已存在');
    const short = runTs('src/cli/admin-create.ts', ['13700000002'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, 'short\nshort\n');
    expect(await short.exited).toBe(1);
    const usage = runTs('src/cli/admin-create.ts', [], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(await usage.exited).toBe(2);
    // The admin can log in on the server started on that data dir.
    const server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'false' });
    try {
      const page = await fetch(`http://127.0.0.1:${server.port}/login`);
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const res = await fetch(`http://127.0.0.1:${server.port}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, login: '13700000001', password: 'long-password-1' }).toString(),
      });
      expect(res.status).toBe(303);
      // Its phone was never proved by a code: asked once to verify it, then on to the back office.
      expect(res.headers.get('location')).toBe('/me/security/phone?prompt=1&next=%2Fadmin');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
