// Backup and restore, both database modes: a round trip into a fresh place finds the same rows and files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../src/bootstrap';
import { parseConfig, type Config } from '../src/config';
import type { AppContext } from '../src/context';
import { quoteIdent, runAdminStatement, withDatabase } from '../src/db/client';
import { files, users } from '../src/db/schema';
import { createLogger } from '../src/logger';
import { createBackup, restoreBackup } from '../src/ops/backup';
import { storeUpload } from '../src/storage/store';
import { makeUser } from './helpers/factories';
import { runTs } from './helpers/processes';

jest.setTimeout(120_000);

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function configFor(dataDir: string, databaseUrl?: string): Config {
  return parseConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', SESSION_SECRET: 'x'.repeat(20), SEED_DEMO: 'false' });
}

/** Two users and one stored upload whose bytes we know. */
async function fill(ctx: AppContext): Promise<{ logins: string[]; key: string; bytes: Buffer }> {
  const a = await makeUser(ctx, 'seeker');
  const b = await makeUser(ctx, 'employer');
  const bytes = Buffer.from('%PDF-1.4\n简历内容\n%%EOF\n');
  const temp = path.join(ctx.storage.tempDir, 'upload-1');
  fs.writeFileSync(temp, bytes);
  const file = await storeUpload(
    ctx.db,
    ctx.storage,
    { tempPath: temp, originalName: '张三的简历.pdf', size: bytes.length, type: { name: 'pdf', mime: 'application/pdf', ext: '.pdf', label: 'PDF' } },
    { kind: 'resume', ownerId: a.id },
    async (_tx, f) => f,
  );
  return { logins: [a.login, b.login].sort(), key: file.storageKey, bytes };
}

async function snapshot(ctx: AppContext) {
  const logins = (await ctx.db.select({ login: users.login }).from(users)).map((r) => r.login).sort();
  const stored = await ctx.db.select().from(files);
  return { logins, stored };
}

describe('embedded (PGlite) backup', () => {
  it('round-trips the database and the uploads into a fresh data dir, through the CLI', async () => {
    const source = tmp('plw-bk-src-');
    const { ctx } = await boot(configFor(source), createLogger('silent'), { seed: false });
    const { logins, key, bytes } = await fill(ctx);
    await ctx.dbHandle.close();

    const file = path.join(tmp('plw-bk-file-'), 'backup.tar.gz');
    const backup = runTs('src/cli/backup.ts', [file], { DATA_DIR: source, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(await backup.exited).toBe(0);
    expect(backup.output()).toContain('备份完成');

    const target = tmp('plw-bk-dst-');
    const restore = runTs('src/cli/restore.ts', [file], { DATA_DIR: target, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(await restore.exited).toBe(0);
    expect(restore.output()).toContain('恢复完成');

    const restored = await boot(configFor(target), createLogger('silent'), { seed: false });
    try {
      const snap = await snapshot(restored.ctx);
      expect(snap.logins).toEqual(logins);
      expect(snap.stored.map((f) => f.storageKey)).toEqual([key]);
      expect(fs.readFileSync(restored.ctx.storage.pathOf(key))).toEqual(bytes);
    } finally {
      await restored.ctx.dbHandle.close();
    }

    // Restoring over data needs --force, and keeps the old data aside.
    const again = runTs('src/cli/restore.ts', [file], { DATA_DIR: target, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('--force');
    const forced = runTs('src/cli/restore.ts', [file, '--force'], { DATA_DIR: target, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(await forced.exited).toBe(0);
    expect(fs.readdirSync(target).some((d) => d.startsWith('pglite.before-restore-'))).toBe(true);
  });

  it('refuses a file that is not a backup', async () => {
    const junk = path.join(tmp('plw-bk-junk-'), 'junk.tar.gz');
    fs.writeFileSync(junk, 'not a tarball');
    await expect(restoreBackup(configFor(tmp('plw-bk-x-')), junk, false)).rejects.toThrow('不是本系统的备份文件');
  });
});

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('server (PostgreSQL) backup', () => {
  const names = [`bk_src_${process.pid}`, `bk_dst_${process.pid}`];
  let reachable = true;
  beforeAll(async () => {
    try {
      for (const n of names) await runAdminStatement(serverUrl, `CREATE DATABASE ${quoteIdent(n)}`);
    } catch {
      reachable = false;
    }
  });
  afterAll(async () => {
    for (const n of names) await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(n)} WITH (FORCE)`).catch(() => {});
  });

  it('round-trips with pg_dump/pg_restore and the upload files', async () => {
    if (!reachable) throw new Error(`no PostgreSQL server at ${serverUrl}`);
    const [src, dst] = names.map((n) => withDatabase(serverUrl, n));
    const sourceDir = tmp('plw-bks-src-');
    const { ctx } = await boot(configFor(sourceDir, src), createLogger('silent'), { seed: false });
    const { logins, key, bytes } = await fill(ctx);
    const file = path.join(tmp('plw-bks-file-'), 'backup.tar.gz');
    await createBackup(ctx.config, ctx.dbHandle, file);
    await ctx.dbHandle.close();

    const targetConfig = configFor(tmp('plw-bks-dst-'), dst);
    await restoreBackup(targetConfig, file, false);
    const restored = await boot(targetConfig, createLogger('silent'), { seed: false });
    try {
      const snap = await snapshot(restored.ctx);
      expect(snap.logins).toEqual(logins);
      expect(fs.readFileSync(restored.ctx.storage.pathOf(key))).toEqual(bytes);
    } finally {
      await restored.ctx.dbHandle.close();
    }
    await expect(restoreBackup(targetConfig, file, false)).rejects.toThrow('--force');
  });
});
