// Owns the site's own pages: 关于我们 and 加入我们 (text from the settings), the privacy policy and the user
// agreement, and the keyword landing pages /k/:slug of the footer's SEO links.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { PRIVACY_POLICY_EFFECTIVE_DATE } from '../../domain/policy';
import { JOB_TYPES, SETTLEMENTS } from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import { format } from '../../web/format';
import { searchListedJobsCached } from '../jobs/jobs.cache';
import { listQueryParams, parseJobListQuery } from '../jobs/jobs.validation';
import { factParagraphs, fillFacts } from './facts';
import type { KeywordPage, SiteSettings } from './settings.schema';

const messages = {
  aboutTitle: '关于我们',
  joinTitle: '加入我们',
  privacyTitle: '隐私政策',
  privacyDescription: (site: string) => `${site}隐私政策:我们收集哪些个人信息、为什么收集、谁能看到、保存多久,以及如何导出和删除你的数据。`,
  termsTitle: '用户协议',
  termsDescription: (site: string) => `${site}用户协议:求职者免费使用,企业须如实发布职位、持证经营劳务派遣、不得歧视,违规信息可举报。`,
  byPay: '按薪资从高到低',
  keywordDescription: (k: KeywordPage, total: string) => `${k.title}:${total} 个招聘中的职位,经人工审核,求职免费。`,
};

/** A meta description from the first words of a text: one line, at most 120 characters. */
function summaryOf(text: string, fallback: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return fallback;
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** How many jobs a keyword page shows; the rest are a click away on /jobs with the same filter. */
const KEYWORD_JOBS = 20;

export function createSitePagesRouter(ctx: AppContext): Router {
  const router = Router();

  for (const [path, title, key] of [
    ['/about', messages.aboutTitle, 'aboutContent'],
    ['/join', messages.joinTitle, 'joinContent'],
  ] as const) {
    router.get(path, (_req, res) => {
      const site = res.locals.site as SiteSettings;
      res.render('site/content', {
        title,
        description: summaryOf(fillFacts(site[key], site), `${site.siteName}${title}`),
        breadcrumbs: [{ label: title }],
        heading: title,
        paragraphs: factParagraphs(site[key], site),
        isJoin: key === 'joinContent',
      });
    });
  }

  // The privacy policy and the user agreement: one version, in force from one date.
  for (const [path, view, title, description] of [
    ['/privacy', 'site/privacy', messages.privacyTitle, messages.privacyDescription],
    ['/terms', 'site/terms', messages.termsTitle, messages.termsDescription],
  ] as const) {
    router.get(path, (_req, res) => {
      const site = res.locals.site as SiteSettings;
      res.render(view, {
        title,
        description: description(site.siteName),
        breadcrumbs: [{ label: title }],
        version: ctx.config.privacyPolicyVersion,
        effectiveDate: PRIVACY_POLICY_EFFECTIVE_DATE,
        retentionDays: ctx.config.resumeRetentionDays,
      });
    });
  }

  router.get('/k/:slug', async (req, res) => {
    const site = res.locals.site as SiteSettings;
    const page = site.keywordPages.find((k) => k.slug === req.params.slug);
    if (!page) throw new NotFoundError();
    // The page's filter goes through the same parser as /jobs?…, so it means exactly what the list means.
    const query = parseJobListQuery(page.filter);
    const result = await searchListedJobsCached(ctx.db, { ...query, page: 1 }, chinaDate(ctx.now()));
    const filterLabels = [
      page.filter.q,
      page.filter.type ? JOB_TYPES[page.filter.type] : undefined,
      page.filter.district,
      page.filter.settlement ? SETTLEMENTS[page.filter.settlement] : undefined,
      page.filter.category,
      page.filter.sort === 'pay' ? messages.byPay : undefined,
    ].filter(Boolean);
    const totalLabel = `${result.total}${result.more ? '+' : ''}`;
    res.render('site/keyword', {
      title: page.title,
      description: summaryOf(fillFacts(page.text, site), messages.keywordDescription(page, totalLabel)),
      breadcrumbs: [{ label: page.label }],
      page,
      paragraphs: factParagraphs(page.text, site),
      jobs: result.rows.slice(0, KEYWORD_JOBS),
      total: result.total,
      totalLabel,
      moreHref: `/jobs${format.query(listQueryParams(query))}`,
      filterLabels,
      otherPages: site.keywordPages.filter((k) => k.slug !== page.slug),
    });
  });

  return router;
}
