// Owns the rules of the article form and of the news list's query, with their Chinese messages; and the
// date formats an article may arrive in (the form, RSS, Atom, JSON).
import { z } from 'zod';
import { ARTICLE_CATEGORIES, type ArticleCategory } from '../../domain/vocabulary';
import { httpUrl, SOURCE_URL_MAX } from './news.sanitize';

const messages = {
  titleRequired: '请填写标题',
  titleLength: '标题不能超过 200 个字',
  summaryLength: '摘要不能超过 500 个字',
  bodyLength: '正文太长:不能超过 20 万个字符',
  captionLength: '图片说明不能超过 200 个字',
  categoryInvalid: '请选择分类',
  authorRequired: '请填写作者',
  authorLength: '作者不能超过 50 个字',
  publishedAtInvalid: '发布时间格式不正确,如 2022-04-17 09:00',
  statusInvalid: '请选择状态',
  sourceNameLength: '来源名称不能超过 100 个字',
  sourceUrlInvalid: '来源网址必须是以 http:// 或 https:// 开头的完整网址',
  sourceUrlLength: '来源网址太长,请填写较短的网址(不超过 1000 个字)',
  sourceNameRequired: '填写了来源网址时,请同时填写来源名称',
  originalAuthorLength: '原作者不能超过 50 个字',
  originalDateInvalid: '原文日期格式不正确,如 2022-04-17',
};

export const CATEGORY_KEYS = Object.keys(ARTICLE_CATEGORIES) as [ArticleCategory, ...ArticleCategory[]];

export function isCategory(v: unknown): v is ArticleCategory {
  return typeof v === 'string' && (CATEGORY_KEYS as string[]).includes(v);
}

/** A category by its key (`policy`) or its Chinese label (`政策法规`). */
export function categoryFrom(raw: string): ArticleCategory | undefined {
  const v = raw.trim();
  if (isCategory(v.toLowerCase())) return v.toLowerCase() as ArticleCategory;
  return CATEGORY_KEYS.find((k) => ARTICLE_CATEGORIES[k] === v);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A wall-clock time in Shanghai (UTC+8, no daylight saving) as a moment; null when the date does not exist. */
function shanghaiMoment(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}+08:00`);
  if (Number.isNaN(date.getTime())) return null;
  // 2月30日 rolls over into March in Date; it is not a date.
  const back = new Date(date.getTime() + 8 * 3600_000);
  return back.getUTCDate() === d && back.getUTCMonth() + 1 === mo ? date : null;
}

const LOCAL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|GMT|UTC|UT|[ECMP][SD]T)$/i;
/** RFC 822 without its zone (`Sun, 17 Apr 2022 09:00:00`), which Chinese feeds write in Shanghai time. */
const RFC822_NO_ZONE = /^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?$/i;

/**
 * A date or date-time as people and feeds write it: `2022-04-17`, `2022-04-17 09:30`, `2022年4月17日`
 * (all in Shanghai time), ISO 8601 with a zone, or RFC 822 (`Sun, 17 Apr 2022 09:00:00 +0800`; Shanghai time without a zone).
 * Anything else, or a day that does not exist, is null.
 */
export function parseDateTime(raw: string | null | undefined): Date | null {
  const v = (raw ?? '').trim();
  if (!v) return null;
  const m = LOCAL.exec(v);
  if (m) return shanghaiMoment(+m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  if (v.length > 60 || !(WITH_ZONE.test(v) || RFC822_NO_ZONE.test(v))) return null;
  const t = Date.parse(WITH_ZONE.test(v) ? v : `${v} +0800`);
  return Number.isNaN(t) ? null : new Date(t);
}

/** `YYYY-MM-DD` of a date-only field, or null when it is not a real day. */
export function parseDay(raw: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw.trim());
  if (!m) return null;
  return shanghaiMoment(+m[1]!, +m[2]!, +m[3]!) ? `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}` : null;
}

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || null);

/** An optional field read by `parse`: empty is null, unreadable is the error `message`. */
const optionalParsed = <T>(parse: (v: string) => T | null, message: string) =>
  z
    .string()
    .optional()
    .transform((v, c): T | null => {
      const s = v?.trim();
      if (!s) return null;
      const parsed = parse(s);
      if (parsed === null) c.addIssue({ code: 'custom', message });
      return parsed;
    });

export const articleFormSchema = z
  .object({
    title: z.string({ error: messages.titleRequired }).trim().min(1, messages.titleRequired).max(200, messages.titleLength),
    summary: z.string().trim().max(500, messages.summaryLength).default(''),
    body: z.string().max(200_000, messages.bodyLength).default(''),
    coverCaption: z.string().trim().max(200, messages.captionLength).default(''),
    category: z.enum(CATEGORY_KEYS, { error: messages.categoryInvalid }),
    author: z.string({ error: messages.authorRequired }).trim().min(1, messages.authorRequired).max(50, messages.authorLength),
    publishedAt: optionalParsed(parseDateTime, messages.publishedAtInvalid),
    status: z.enum(['draft', 'published'], { error: messages.statusInvalid }),
    sourceName: optionalText(100, messages.sourceNameLength),
    sourceUrl: optionalParsed((v) => (httpUrl(v) ? v : null), messages.sourceUrlInvalid).refine(
      (v) => v === null || (v.length <= 1000 && httpUrl(v)!.length <= SOURCE_URL_MAX),
      messages.sourceUrlLength,
    ),
    originalAuthor: optionalText(50, messages.originalAuthorLength),
    originalDate: optionalParsed(parseDay, messages.originalDateInvalid),
    removeCover: z
      .string()
      .optional()
      .transform((v) => v === '1'),
  })
  .refine((v) => !v.sourceUrl || v.sourceName, {
    path: ['sourceName'],
    message: messages.sourceNameRequired,
    // Shown together with the other fields' errors, not only once they are fixed.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

export type ArticleForm = z.infer<typeof articleFormSchema>;

/** The import form: the byline of the imported articles, and whether to only check the file. */
export const importFormSchema = z.object({
  author: z.string({ error: messages.authorRequired }).trim().min(1, messages.authorRequired).max(50, messages.authorLength),
  dryRun: z
    .string()
    .optional()
    .transform((v) => v === '1'),
});

/** `?category=&page=` of /news: a wrong category is ignored, a wrong page is page 1. */
export function parseNewsQuery(query: Record<string, unknown>): { category?: ArticleCategory; page: number } {
  const category = isCategory(query.category) ? query.category : undefined;
  return { category, page: parsePage(query.page) };
}

export function parsePage(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return 1;
  return Math.max(1, Number(raw));
}
