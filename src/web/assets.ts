// Owns static asset URLs with a content hash, so they can be cached for a year and still change on deploy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../paths';

const versions = new Map<string, string>();

/** `/css/site.css` → `/css/site.css?v=1a2b3c4d` (hash of the file's bytes, computed once per process). */
export function asset(urlPath: string): string {
  let v = versions.get(urlPath);
  if (v === undefined) {
    try {
      const bytes = fs.readFileSync(path.join(PUBLIC_DIR, urlPath));
      v = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 10);
    } catch {
      v = '';
    }
    versions.set(urlPath, v);
  }
  return v ? `${urlPath}?v=${v}` : urlPath;
}
