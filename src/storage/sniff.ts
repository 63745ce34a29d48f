// Owns file-type detection by content (magic bytes), never by name or by the client's Content-Type.
import fs from 'node:fs/promises';

export type SniffedType = { mime: string; ext: string; label: string };

const TYPES = {
  pdf: { mime: 'application/pdf', ext: '.pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: '.docx', label: 'Word' },
  doc: { mime: 'application/msword', ext: '.doc', label: 'Word' },
  jpeg: { mime: 'image/jpeg', ext: '.jpg', label: 'JPG' },
  png: { mime: 'image/png', ext: '.png', label: 'PNG' },
  webp: { mime: 'image/webp', ext: '.webp', label: 'WebP' },
  // Text formats of data files (news import): told apart by their first character, checked fully by their parser.
  xml: { mime: 'application/xml', ext: '.xml', label: 'XML' },
  json: { mime: 'application/json', ext: '.json', label: 'JSON' },
} as const satisfies Record<string, SniffedType>;

export type FileTypeName = keyof typeof TYPES;

const HEAD_BYTES = 4100;

function startsWith(buf: Buffer, bytes: number[], offset = 0): boolean {
  return bytes.every((b, i) => buf[offset + i] === b);
}

/**
 * A DOCX is a ZIP whose entries include word/document.xml. We look for the entry name in the
 * local headers and in the central directory at the end, so that a plain ZIP (or an XLSX) does not pass.
 */
async function isDocx(path: string, head: Buffer, size: number): Promise<boolean> {
  if (!startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return false;
  if (head.includes('word/')) return true;
  const tailLength = Math.min(size, 66_000);
  const handle = await fs.open(path, 'r');
  try {
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    return tail.includes('word/document.xml');
  } finally {
    await handle.close();
  }
}

/** The type of the file at `path`, or null when it is none of the types the site accepts. */
export async function sniffFile(path: string): Promise<(SniffedType & { name: FileTypeName }) | null> {
  const handle = await fs.open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const hit = (name: FileTypeName) => ({ name, ...TYPES[name] });
  // %PDF- may follow a few bytes of junk, which readers accept; 1024 bytes is the usual tolerance.
  const pdfAt = head.subarray(0, 1024).indexOf('%PDF-');
  if (pdfAt >= 0) return hit('pdf');
  if (startsWith(head, [0xff, 0xd8, 0xff])) return hit('jpeg');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return hit('png');
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return hit('webp');
  // Legacy .doc is a Compound File Binary (OLE2) container.
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return hit('doc');
  if (await isDocx(path, head, size)) return hit('docx');
  const text = textKind(head);
  if (text) return hit(text);
  return null;
}

/**
 * XML or JSON text: no NUL or other binary control bytes in the head, and the first character after an
 * optional UTF-8 BOM and white space is `<` (XML) or `[` / `{` (JSON).
 */
function textKind(head: Buffer): 'xml' | 'json' | null {
  if (head.some((b) => b < 0x09 || (b > 0x0d && b < 0x20))) return null;
  let i = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x3c) return 'xml';
  if (head[i] === 0x5b || head[i] === 0x7b) return 'json';
  return null;
}
