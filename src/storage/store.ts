// Owns the one way an upload becomes permanent: file moved into place and row inserted, atomically.
import type { Db } from '../db/client';
import { files } from '../db/schema';
import type { FileKind, FileStorage } from './files';
import type { UploadedFile } from './upload';

export type StoredFile = typeof files.$inferSelect;

/**
 * Moves the upload into storage, then runs `use` in a transaction with the new `files` row.
 * If anything in the transaction fails, the moved file is deleted: no row without its file, no file without its row.
 */
export async function storeUpload<T>(
  db: Db,
  storage: FileStorage,
  upload: UploadedFile,
  meta: { kind: FileKind; ownerId: number | null },
  use: (tx: Db, file: StoredFile) => Promise<T>,
): Promise<T> {
  const key = storage.newKey(meta.kind, upload.type.ext);
  await storage.moveIn(upload.tempPath, key);
  try {
    return await db.transaction(async (tx) => {
      const [file] = await tx
        .insert(files)
        .values({
          kind: meta.kind,
          storageKey: key,
          ownerId: meta.ownerId,
          originalName: upload.originalName,
          mime: upload.type.mime,
          size: upload.size,
        })
        .returning();
      return use(tx, file!);
    });
  } catch (err) {
    await storage.remove(key).catch(() => {});
    throw err;
  }
}

/** Builds a Content-Disposition header that keeps a Chinese file name (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
