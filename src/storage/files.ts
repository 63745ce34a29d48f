// Owns uploaded bytes on disk: temp → final moves, server-generated names, removal, and the orphan sweep.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client';
import { files } from '../db/schema';

export type FileKind = 'resume' | 'license' | 'news_cover' | 'news_image' | 'resume_photo';

/** Stored files and their folders are the process owner's alone (mkdir's mode is also narrowed by the umask). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Files younger than this are left alone by the sweep: another process may be about to commit their row. */
const SWEEP_GRACE_MS = 60 * 60 * 1000;

export class FileStorage {
  readonly tempDir: string;

  constructor(readonly root: string) {
    this.tempDir = path.join(root, 'tmp');
  }

  /**
   * Creates the folders, owner-only: resumes and licences are personal data, and nobody else on the machine
   * (another service, a shell user) has any business listing or reading them. Folders of an older install are
   * tightened too; the root alone already closes every path below it.
   */
  async init(): Promise<void> {
    await fsp.mkdir(this.tempDir, { recursive: true, mode: DIR_MODE });
    await fsp.chmod(this.root, DIR_MODE);
    await fsp.chmod(this.tempDir, DIR_MODE);
  }

  /** A new server-generated key such as `resume/2026/11/3f2a….pdf`; the client's name is never used. */
  newKey(kind: FileKind, ext: string): string {
    const now = new Date();
    const month = String(now.getUTCMonth() + 1).padStart(2, '0');
    return path.posix.join(kind, String(now.getUTCFullYear()), month, `${crypto.randomUUID()}${ext}`);
  }

  /** Absolute path of a key; refuses anything that would leave the upload root. */
  pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(this.root + path.sep) || full.startsWith(this.tempDir + path.sep)) {
      throw new Error(`invalid storage key: ${key}`);
    }
    return full;
  }

  /** Moves a temp upload to its final place (a rename: temp dir and final dir share one filesystem). */
  async moveIn(tempPath: string, key: string): Promise<void> {
    const dest = this.pathOf(key);
    await fsp.mkdir(path.dirname(dest), { recursive: true, mode: DIR_MODE });
    // Owner-only before it is in place: the file never appears readable by others, not even for a moment.
    await fsp.chmod(tempPath, FILE_MODE);
    try {
      await fsp.rename(tempPath, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await fsp.copyFile(tempPath, dest);
      await fsp.chmod(dest, FILE_MODE);
      await fsp.unlink(tempPath);
    }
  }

  async remove(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async removeAll(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.remove(k).catch(() => {})));
  }

  async removeTemp(tempPath: string | undefined): Promise<void> {
    if (tempPath) await fsp.rm(tempPath, { force: true }).catch(() => {});
  }

  createReadStream(key: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fsp.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Removes temp files and stored files that no row points to (left by a crash between commit and unlink,
   * or by an account deletion whose rows cascaded away). Returns how many files were removed.
   */
  async sweep(db: Db, now = Date.now()): Promise<{ temp: number; orphans: number }> {
    const old = async (file: string) => now - (await fsp.stat(file)).mtimeMs > SWEEP_GRACE_MS;
    let temp = 0;
    for (const name of await fsp.readdir(this.tempDir).catch(() => [] as string[])) {
      const file = path.join(this.tempDir, name);
      if (await old(file)) {
        await fsp.rm(file, { force: true });
        temp++;
      }
    }
    const known = new Set((await db.select({ key: files.storageKey }).from(files)).map((r) => r.key));
    let orphans = 0;
    for (const kind of ['resume', 'license', 'news_cover', 'news_image', 'resume_photo'] as const) {
      for (const rel of await walk(path.join(this.root, kind))) {
        const key = path.posix.join(kind, rel.split(path.sep).join('/'));
        if (!known.has(key) && (await old(this.pathOf(key)))) {
          await this.remove(key);
          orphans++;
        }
      }
    }
    return { temp, orphans };
  }
}

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}
