// Owns /admin/search (issue 19): search analytics (top, zero-result and low-result queries, click-through, searches
// per day) and the dictionary words admins add, with re-indexing progress.
import { Router, type Response } from 'express';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { BENEFITS, CATEGORIES, DISTRICTS, JOB_TYPES, SETTLEMENTS, WORKPLACES } from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import { dictionaryFileEntries } from '../../search/dictionary';
import { recentReindexRuns } from '../../search/search.reindex';
import { LOW_RESULTS, searchReport, SEARCH_RETENTION_DAYS } from '../../search/search.analytics';
import { flash } from '../../web/flash';
import { parseId, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import type { FieldErrors } from '../../errors';
import { actorOf, adminPage } from '../admin/admin.view';
import { lineChart } from '../admin/admin.charts';
import { deleteTerm, findTermByWord, listTerms, saveTerm } from './search.service';
import { parseTermForm } from './search.validation';

const messages = {
  title: '搜索词库与分析',
  saved: (word: string) => `已保存搜索词「${word}」,相关职位正在后台重新索引`,
  deleted: (word: string) => `已删除搜索词「${word}」`,
};

const DAYS = 30;
const SEARCH_SERIES = [{ key: 'searches', label: '搜索次数' }];

/** The form's checkbox groups: [field, legend, [[value, label]]]. */
const MEANING_OPTIONS: [string, string, [string, string][]][] = [
  ['category', '职位类别', CATEGORIES.map((c) => [c, c])],
  ['type', '职位类型', Object.entries(JOB_TYPES)],
  ['settlement', '结算方式', Object.entries(SETTLEMENTS)],
  ['benefit', '福利', BENEFITS.map((b) => [b, b])],
  ['workplace', '工作场所', WORKPLACES.map((w) => [w, w])],
  ['district', '区域', DISTRICTS.map((d) => [d, d])],
];

export function createSearchAdminRouter(ctx: AppContext): Router {
  const router = Router();
  const admin = requireRole('admin');

  async function render(res: Response, values: FormValues, errors: FieldErrors = {}, status = 200) {
    const now = ctx.now();
    const today = chinaDate(now);
    const [report, terms, runs] = await Promise.all([searchReport(ctx.db, now, DAYS), listTerms(ctx.db), recentReindexRuns(ctx.db)]);
    const rows = report.perDay.map((d) => ({ series: 'searches', day: d.day, n: d.n }));
    res.status(status).render('admin/search/index', {
      ...adminPage('search', messages.title),
      report,
      charts: (['narrow', 'wide'] as const).map((size) => lineChart(rows, today, size, DAYS, SEARCH_SERIES as never)),
      terms,
      runs,
      fileEntries: dictionaryFileEntries().length,
      meaningOptions: MEANING_OPTIONS,
      lowResults: LOW_RESULTS,
      retentionDays: SEARCH_RETENTION_DAYS,
      values,
      errors,
    });
  }

  router.get('/admin/search', admin, async (req, res) => {
    // "添加同义词" from a zero-result query, or 编辑 from the list: the form opens with the word (and its row).
    const word = typeof req.query.word === 'string' ? req.query.word.normalize('NFKC').trim().slice(0, 20) : '';
    const existing = word ? await findTermByWord(ctx.db, word.toLowerCase()) : undefined;
    const values: FormValues = existing ? { word: existing.word, synonyms: existing.synonyms.join(' '), ...existing.meanings } : { word };
    await render(res, values);
  });

  router.post('/admin/search/terms', admin, async (req, res) => {
    const parsed = parseTermForm(req.body);
    if (!parsed.ok) return render(res, parsed.values, parsed.errors, 422);
    const row = await saveTerm(ctx.db, ctx.logger, actorOf(req), parsed.data, ctx.now());
    flash(req, 'success', messages.saved(row.word));
    res.redirect(303, '/admin/search#terms');
  });

  router.post('/admin/search/terms/:id/delete', admin, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const row = await deleteTerm(ctx.db, ctx.logger, actorOf(req), id, ctx.now());
    flash(req, 'success', messages.deleted(row.word));
    res.redirect(303, '/admin/search#terms');
  });

  return router;
}


