// Owns sending a private stored file (a license, a resume): its stored type, never cached, never run as a page.
import type { Response } from 'express';
import { NotFoundError } from '../errors';
import type { FileStorage } from '../storage/files';
import { contentDisposition } from '../storage/store';

export type PrivateFile = { storageKey: string; originalName: string; mime: string; size: number };

/** Streams the file; images open in the browser, anything else downloads. A missing file is a 404. */
export async function sendPrivateFile(res: Response, storage: FileStorage, file: PrivateFile): Promise<void> {
  if (!(await storage.exists(file.storageKey))) throw new NotFoundError();
  const inline = file.mime.startsWith('image/');
  res.set({
    'Content-Type': file.mime,
    'Content-Length': String(file.size),
    'Content-Disposition': contentDisposition(file.originalName, inline ? 'inline' : 'attachment'),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // The bytes are a user's upload: never let them run as a page of this site.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
  });
  const stream = storage.createReadStream(file.storageKey);
  // A read failure after the headers went out can only cut the response short (the client sees it incomplete).
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
