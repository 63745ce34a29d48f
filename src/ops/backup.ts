// Owns backups: one .tar.gz holding the database (PGlite's data-dir dump, or pg_dump's custom format) and the uploaded files.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config';
import { acquireDataDirLock } from '../db/lock';
import { openDb, restoreEmbeddedDataDir, type DbHandle } from '../db/client';
import { users } from '../db/schema';

const run = promisify(execFile);

export const messages = {
  notEmpty: (what: string) => `${what} 不是空的:恢复会覆盖现有数据。确认无误后加上 --force 再运行(旧数据会被移到一旁保留)。`,
  wrongMode: (backup: string, target: string) => `备份来自 ${backup} 模式,当前是 ${target} 模式:请在同一种数据库模式下恢复。`,
  badFile: (file: string) => `${file} 不是本系统的备份文件。`,
  missingTool: (tool: string) => `找不到 ${tool}:请安装 PostgreSQL 客户端 (apt-get install -y postgresql-client)。`,
};

export class BackupError extends Error {}

type Manifest = { format: 1; mode: 'pglite' | 'postgres'; createdAt: string; uploads: number };

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError(messages.missingTool(name));
    throw new BackupError(`${name} 失败: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}`);
  }
}

/** Writes a backup of the database behind `handle` and of UPLOAD_DIR to `file` (.tar.gz). */
export async function createBackup(config: Config, handle: DbHandle, file: string): Promise<Manifest> {
  const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'plw-backup-'));
  try {
    await fsp.mkdir(path.join(staging, 'database'));
    if (handle.kind === 'pglite') {
      const dump = await handle.dumpDataDir!();
      await fsp.writeFile(path.join(staging, 'database', 'pglite.tar'), Buffer.from(await dump.arrayBuffer()));
    } else {
      await tool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(staging, 'database', 'postgres.dump')}`, config.databaseUrl!]);
    }
    const uploads = (await listFiles(config.uploadDir)).filter((f) => !f.startsWith(`tmp${path.sep}`));
    for (const rel of uploads) {
      const dest = path.join(staging, 'uploads', rel);
      await fsp.mkdir(path.dirname(dest), { recursive: true });
      await fsp.copyFile(path.join(config.uploadDir, rel), dest);
    }
    const manifest: Manifest = { format: 1, mode: handle.kind, createdAt: new Date().toISOString(), uploads: uploads.length };
    await fsp.writeFile(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await tool('tar', ['-czf', path.resolve(file), '-C', staging, '.']);
    return manifest;
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

function moveAside(dir: string): string | undefined {
  if (!fs.existsSync(dir) || fs.readdirSync(dir).length === 0) return undefined;
  const aside = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(dir, aside);
  return aside;
}

async function serverHasData(config: Config): Promise<boolean> {
  const handle = await openDb({ databaseUrl: config.databaseUrl, connectTimeoutMs: config.db.connectTimeoutMs });
  try {
    // A database that was never migrated has no users table: that counts as empty.
    return (await handle.db.$count(users).catch(() => 0)) > 0;
  } finally {
    await handle.close();
  }
}

/**
 * Restores `file` into the configured database and UPLOAD_DIR. Refuses to overwrite existing data unless `force`,
 * and then keeps the old data beside it. Embedded mode needs the server stopped (the data-dir lock says so).
 */
export async function restoreBackup(config: Config, file: string, force: boolean): Promise<{ manifest: Manifest; movedAside: string[] }> {
  if (!fs.existsSync(file)) throw new BackupError(messages.badFile(file));
  const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'plw-restore-'));
  const movedAside: string[] = [];
  const embedded = !config.databaseUrl;
  const release = embedded ? acquireDataDirLock(config.dataDir) : () => {};
  try {
    await tool('tar', ['-xzf', path.resolve(file), '-C', staging]).catch(() => {
      throw new BackupError(messages.badFile(file));
    });
    const manifestPath = path.join(staging, 'manifest.json');
    if (!fs.existsSync(manifestPath)) throw new BackupError(messages.badFile(file));
    const manifest = JSON.parse(await fsp.readFile(manifestPath, 'utf8')) as Manifest;
    const targetMode = embedded ? 'pglite' : 'postgres';
    if (manifest.mode !== targetMode) throw new BackupError(messages.wrongMode(manifest.mode, targetMode));

    // Check everything before changing anything.
    const pgliteDir = path.join(config.dataDir, 'pglite');
    const dbHasData = embedded ? fs.existsSync(pgliteDir) && fs.readdirSync(pgliteDir).length > 0 : await serverHasData(config);
    const uploadsHaveData = (await listFiles(config.uploadDir)).some((f) => !f.startsWith(`tmp${path.sep}`));
    if (!force && dbHasData) throw new BackupError(messages.notEmpty(embedded ? pgliteDir : '目标数据库'));
    if (!force && uploadsHaveData) throw new BackupError(messages.notEmpty(config.uploadDir));

    if (embedded) {
      if (dbHasData) movedAside.push(moveAside(pgliteDir)!);
      const dump = await fsp.readFile(path.join(staging, 'database', 'pglite.tar'));
      await restoreEmbeddedDataDir(config.dataDir, new Blob([dump]));
    } else {
      await tool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${config.databaseUrl}`, path.join(staging, 'database', 'postgres.dump')]);
    }
    if (uploadsHaveData) movedAside.push(moveAside(config.uploadDir)!);
    await fsp.mkdir(config.uploadDir, { recursive: true });
    const uploadsSrc = path.join(staging, 'uploads');
    if (fs.existsSync(uploadsSrc)) await fsp.cp(uploadsSrc, config.uploadDir, { recursive: true });
    return { manifest, movedAside };
  } finally {
    release();
    await fsp.rm(staging, { recursive: true, force: true });
  }
}
