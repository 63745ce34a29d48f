// Test helpers of the news feature: articles straight into the database, page text, real image bytes.
import zlib from 'node:zlib';
import type { AppContext } from '../../src/context';
import { articles } from '../../src/db/schema';
import type { ArticleRow, NewArticleRow } from '../../src/features/news/news.queries';

let counter = 0;

/** A published article (unless overridden), inserted directly: for arranging lists, counts and neighbours. */
export async function makeArticle(ctx: AppContext, overrides: Partial<NewArticleRow> = {}): Promise<ArticleRow> {
  counter += 1;
  const [row] = await ctx.db
    .insert(articles)
    .values({
      title: `测试资讯${counter}`,
      summary: `测试摘要${counter}`,
      bodyHtml: `<p>测试正文${counter}</p>`,
      author: '测试编辑',
      category: 'hr',
      status: 'published',
      publishedAt: new Date(Date.UTC(2023, 0, 1) + counter * 60_000),
      ...overrides,
    })
    .returning();
  return row!;
}

/** The admin's article form as the browser posts it (a draft with a short body), with some fields changed. */
export function articleForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: '深圳市2024年最低工资标准公布',
    summary: '',
    body: '<p>正文第一段。</p>',
    category: 'policy',
    status: 'draft',
    author: '资讯编辑小王',
    publishedAt: '',
    sourceName: '',
    sourceUrl: '',
    originalAuthor: '',
    originalDate: '',
    coverCaption: '',
    ...overrides,
  };
}

/** The visible text of some HTML: tags dropped, the entities EJS writes decoded, white space collapsed. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ');
}

/** The `<main>` of a page, so the header/footer links do not get in the way. */
export function mainOf(html: string): string {
  const m = /<main[\s\S]*?<\/main>/.exec(html);
  return m ? m[0] : html;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real 2×2 RGB PNG (signature, IHDR, IDAT, IEND with correct CRCs). */
export function tinyPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 16×16 baseline JPEG (543 bytes, from CPython's imghdr test data). */
export function tinyJpeg(): Buffer {
  return Buffer.from(
    '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
    'base64',
  );
}
