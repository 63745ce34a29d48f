// Real small files of each resume type (and some impostors), and resumes/applications made through the services.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AppContext } from '../../src/context';
import { submitApplication } from '../../src/features/applications/applications.service';
import { addResume } from '../../src/features/resumes/resumes.service';
import { sniffFile } from '../../src/storage/sniff';

/** A ZIP archive of stored (uncompressed) entries, as the PKWARE APPNOTE lays it out. */
export function zip(entries: [name: string, content: string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const samples = {
  pdf(): Buffer {
    return Buffer.from(
      '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n' +
        'xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer <</Size 3 /Root 1 0 R>>\nstartxref\n107\n%%EOF\n',
    );
  },
  /** A real ZIP (stored entries, with CRCs and a central directory) holding the two parts every Word document has. */
  docx(): Buffer {
    return zip([
      [
        '[Content_Types].xml',
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ],
      [
        'word/document.xml',
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>张三 简历</w:t></w:r></w:p></w:body></w:document>',
      ],
    ]);
  },
  /** Legacy Word: the Compound File Binary signature and a header-sized body. */
  doc(): Buffer {
    return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]);
  },
  jpeg(): Buffer {
    return Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from('JFIF\0', 'latin1'),
      Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
      Buffer.alloc(64, 0),
      Buffer.from([0xff, 0xd9]),
    ]);
  },
  /** A real 1×1 PNG: signature, IHDR, IDAT, IEND. */
  png(): Buffer {
    return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  },
  exe(): Buffer {
    return Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58, 0x90), Buffer.from('This program cannot be run in DOS mode.')]);
  },
  html(): Buffer {
    return Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
  },
};

/** Every file under the upload root (tmp/ included), as relative paths. */
export function listStoredFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/** A resume of `seekerId` made through the same service as the upload form. */
export async function insertResume(ctx: AppContext, seekerId: number, opts: { content?: Buffer; name?: string; title?: string } = {}) {
  const content = opts.content ?? samples.pdf();
  const tempPath = path.join(ctx.storage.tempDir, crypto.randomUUID());
  await fsp.writeFile(tempPath, content);
  const type = await sniffFile(tempPath);
  if (!type) throw new Error('fixture content is not an accepted type');
  return addResume(ctx, seekerId, { tempPath, originalName: opts.name ?? '我的简历.pdf', size: content.length, type }, opts.title);
}

/** An application made through the service (the seeker's default resume unless one is named). */
export async function insertApplication(ctx: AppContext, seekerId: number, jobId: number, opts: { resumeId?: number; message?: string } = {}) {
  const result = await submitApplication(ctx, { seekerId, jobId, resumeId: opts.resumeId ?? null, message: opts.message ?? '', shareConsent: true });
  return result.applicationId;
}
