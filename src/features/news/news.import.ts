// Owns the bulk import of republished articles: each item checked on its own (refused with a Chinese reason),
// duplicates of a known or earlier source skipped, the rest inserted in batches inside one transaction.
//
// Decision: imported articles are published at once, dated with their original publication time, so that
// /news, the feed and prev/next keep the real chronology instead of showing old news as today's.
import type { Db } from '../../db/client';
import { normalizeText } from '../../domain/text';
import { ARTICLE_CATEGORIES, type ArticleCategory } from '../../domain/vocabulary';
import { recordAudit, type Actor } from '../audit/audit.service';
import { findArticlesBySourceUrls, insertArticlesSkippingKnownSources, type NewArticleRow } from './news.queries';
import { htmlToText, sanitizeArticleHtml, textToHtml } from './news.sanitize';
import { normalizeSourceUrl, shanghaiDay, summaryFrom } from './news.service';
import type { ImportFormat, RawItem } from './news.importFormats';
import { categoryFrom, parseDateTime } from './news.validation';

const messages = {
  notObject: '不是对象',
  notText: (field: string) => `字段 ${field} 必须是文字`,
  titleMissing: '缺少标题 (title)',
  titleLong: '标题超过 200 个字',
  contentMissing: '缺少正文 (body) 和摘要 (summary)',
  bodyLong: '正文太长:超过 20 万个字符',
  sourceNameMissing: '缺少来源名称 (sourceName):转载文章必须注明来源',
  sourceNameLong: '来源名称超过 100 个字',
  sourceUrlMissing: '缺少来源网址 (sourceUrl)',
  sourceUrlInvalid: (v: string) => `来源网址无效 (sourceUrl):“${v.slice(0, 80)}”不是 http(s) 网址`,
  dateMissing: '缺少发布日期 (publishedAt)',
  dateInvalid: (v: string) => `发布日期无效 (publishedAt):“${v.slice(0, 40)}”`,
  dateFuture: '发布日期晚于今天',
  dateTooOld: '发布日期早于 1990 年',
  authorLong: '作者超过 50 个字',
  categoryUnknown: (v: string) => `未知分类 (category):“${v.slice(0, 20)}”,可用:${Object.values(ARTICLE_CATEGORIES).join('、')}`,
  duplicateInFile: (first: number) => `与文件中第 ${first} 条的来源网址重复`,
  duplicateInDb: (id: number) => `该来源已导入过(文章 #${id})`,
  duplicateRace: '该来源刚被另一次导入添加',
};

const BATCH = 200;
const MAX_BODY = 200_000;
const SUMMARY_MAX = 500;
const EARLIEST = Date.UTC(1990, 0, 1);

export type ReportLine = { index: number; title: string; reason: string };
export type ImportReport = {
  format: ImportFormat;
  total: number;
  dryRun: boolean;
  added: { index: number; title: string; id: number | null }[];
  skipped: ReportLine[];
  refused: ReportLine[];
};

export type ImportProgress = (done: number, total: number) => void;

type Candidate = { index: number; title: string; values: NewArticleRow & { sourceUrl: string } };

/** A string field as text: undefined/null/'' are absent; any other non-string is an error. */
function field(item: RawItem, name: keyof RawItem & string, errors: string[]): string | undefined {
  const v = item[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && name === 'publishedAt') return String(v);
  if (typeof v !== 'string') {
    errors.push(messages.notText(name));
    return undefined;
  }
  const s = v.trim();
  return s === '' ? undefined : s;
}

function titleForReport(item: RawItem): string {
  const t = typeof item.title === 'string' ? normalizeText(item.titleIsHtml ? htmlToText(item.title) : item.title) : '';
  return t.slice(0, 80);
}

/** Checks one item; a list of reasons when it cannot be imported, else the row to insert. */
export function checkItem(item: RawItem, ctx: { author: string; authorId: number | null; now: Date }): { reasons: string[] } | { candidate: Candidate } {
  if (item.notObject) return { reasons: [messages.notObject] };
  const reasons: string[] = [];
  const rawTitle = field(item, 'title', reasons);
  const title = rawTitle ? normalizeText(item.titleIsHtml ? htmlToText(rawTitle) : rawTitle).replace(/\s+/g, ' ') : '';
  if (!title) reasons.push(messages.titleMissing);
  else if (title.length > 200) reasons.push(messages.titleLong);

  const rawBody = field(item, 'body', reasons);
  const rawSummary = field(item, 'summary', reasons);
  const summaryText = rawSummary ? normalizeText(htmlToText(rawSummary)) : '';
  let bodyHtml = rawBody ? sanitizeArticleHtml(normalizeText(rawBody)) : '';
  if (!htmlToText(bodyHtml) && !/<img\s/.test(bodyHtml)) bodyHtml = summaryText ? textToHtml(summaryText) : '';
  if (!bodyHtml) reasons.push(messages.contentMissing);
  else if (bodyHtml.length > MAX_BODY) reasons.push(messages.bodyLong);

  const sourceName = normalizeText(field(item, 'sourceName', reasons) ?? '');
  if (!sourceName) reasons.push(messages.sourceNameMissing);
  else if (sourceName.length > 100) reasons.push(messages.sourceNameLong);

  const rawUrl = field(item, 'sourceUrl', reasons);
  const sourceUrl = rawUrl && rawUrl.length <= 1000 ? normalizeSourceUrl(rawUrl) : null;
  if (!rawUrl) reasons.push(messages.sourceUrlMissing);
  else if (!sourceUrl) reasons.push(messages.sourceUrlInvalid(rawUrl));

  const rawDate = field(item, 'publishedAt', reasons);
  const publishedAt = rawDate ? parseDateTime(rawDate) : null;
  if (!rawDate) reasons.push(messages.dateMissing);
  else if (!publishedAt) reasons.push(messages.dateInvalid(rawDate));
  else if (publishedAt.getTime() > ctx.now.getTime() + 86_400_000) reasons.push(messages.dateFuture);
  else if (publishedAt.getTime() < EARLIEST) reasons.push(messages.dateTooOld);

  const originalAuthor = normalizeText(field(item, 'author', reasons) ?? '');
  if (originalAuthor.length > 50) reasons.push(messages.authorLong);

  let category: ArticleCategory = 'hr';
  const rawCategory = field(item, 'category', reasons);
  if (rawCategory) {
    const known = categoryFrom(normalizeText(rawCategory));
    if (known) category = known;
    else reasons.push(messages.categoryUnknown(rawCategory));
  } else {
    category = item.tags.map((t) => categoryFrom(normalizeText(t))).find((c) => c !== undefined) ?? 'hr';
  }

  if (reasons.length) return { reasons: [...new Set(reasons)] };
  const summary = summaryFrom(summaryText.slice(0, SUMMARY_MAX), bodyHtml);
  return {
    candidate: {
      index: item.index,
      title,
      values: {
        title,
        summary,
        bodyHtml,
        category,
        author: ctx.author,
        authorId: ctx.authorId,
        publishedAt: publishedAt!,
        status: 'published',
        sourceName,
        sourceUrl: sourceUrl!,
        originalAuthor: originalAuthor || null,
        originalDate: shanghaiDay(publishedAt!),
      },
    },
  };
}

export type ImportOptions = {
  format: ImportFormat;
  actor: Actor;
  /** The byline of the imported articles (the admin who republishes them). */
  author: string;
  now: Date;
  dryRun?: boolean;
  /** A name for the audit entry (the uploaded file's name). */
  fileName?: string;
  onProgress?: ImportProgress;
};

/**
 * Imports the items of one file. Invalid items are refused, duplicates skipped, and every other item is added
 * in one transaction (all or nothing if the database fails). A dry run checks everything and writes nothing.
 */
export async function importArticles(db: Db, items: RawItem[], opts: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { format: opts.format, total: items.length, dryRun: Boolean(opts.dryRun), added: [], skipped: [], refused: [] };
  const candidates: Candidate[] = [];
  const firstByUrl = new Map<string, number>();
  for (const item of items) {
    const checked = checkItem(item, { author: opts.author, authorId: opts.actor.id, now: opts.now });
    if ('reasons' in checked) {
      report.refused.push({ index: item.index, title: titleForReport(item), reason: checked.reasons.join(';') });
      continue;
    }
    const { candidate } = checked;
    const first = firstByUrl.get(candidate.values.sourceUrl);
    if (first !== undefined) {
      report.skipped.push({ index: candidate.index, title: candidate.title, reason: messages.duplicateInFile(first) });
      continue;
    }
    firstByUrl.set(candidate.values.sourceUrl, candidate.index);
    candidates.push(candidate);
  }
  const progress = (done: number) => opts.onProgress?.(done, candidates.length);
  progress(0);

  const write = async (tx: Db) => {
    const known = await findArticlesBySourceUrls(tx, candidates.map((c) => c.values.sourceUrl));
    const fresh = candidates.filter((c) => {
      const id = known.get(c.values.sourceUrl);
      if (id !== undefined) report.skipped.push({ index: c.index, title: c.title, reason: messages.duplicateInDb(id) });
      return id === undefined;
    });
    let done = candidates.length - fresh.length;
    progress(done);
    for (let i = 0; i < fresh.length; i += BATCH) {
      const batch = fresh.slice(i, i + BATCH);
      const ids = opts.dryRun ? null : new Map((await insertArticlesSkippingKnownSources(tx, batch.map((c) => c.values))).map((r) => [r.sourceUrl, r.id]));
      for (const c of batch) {
        const id = ids ? ids.get(c.values.sourceUrl) : null;
        if (ids && id === undefined) report.skipped.push({ index: c.index, title: c.title, reason: messages.duplicateRace });
        else report.added.push({ index: c.index, title: c.title, id: id ?? null });
      }
      done += batch.length;
      progress(done);
    }
    if (opts.dryRun) return;
    await recordAudit(tx, opts.actor, {
      action: 'news.import',
      targetType: 'article',
      targetId: null,
      after: {
        file: opts.fileName ?? null,
        format: opts.format,
        total: report.total,
        added: report.added.length,
        skipped: report.skipped.length,
        refused: report.refused.length,
        ids: report.added.map((a) => a.id),
      },
    });
  };
  if (opts.dryRun) await write(db);
  else await db.transaction(write);
  report.skipped.sort((a, b) => a.index - b.index);
  return report;
}
