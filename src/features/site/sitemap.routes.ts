// Owns what tells people and crawlers what the site holds: /sitemap (网站地图, for people), /sitemap.xml and
// its parts under /sitemaps/ (for search engines), and /robots.txt.
import { Router, type Response } from 'express';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { PRIVACY_POLICY_EFFECTIVE_DATE } from '../../domain/policy';
import { CATEGORIES, DISTRICTS } from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import { listLatestPublishedJobs } from '../jobs/jobs.queries';
import type { SiteSettings } from './settings.schema';
import { listLatestArticles, listSitemapArticles, listSitemapJobs, loadSiteFreshness, type SiteFreshness } from './site.queries';
import { parsePartFile, partFile, planParts, sitemapIndexXml, SITEMAP_MAX_URLS, urlsetXml, type SitemapPart, type UrlEntry } from './sitemap';

const messages = {
  title: '网站地图',
  description: (site: string) => `${site}网站地图:全部栏目、职位分类、深圳各区职位、热门关键词、最新职位和最新人力资讯。`,
};

/** The site's own pages, in the order the human sitemap lists them. */
export const SITE_SECTIONS: [path: string, label: string][] = [
  ['/', '首页'],
  ['/jobs', '全部职位'],
  ['/linshigong', '临时工招聘信息'],
  ['/jianzhi', '兼职招聘信息'],
  ['/paiqian', '劳务派遣'],
  ['/news', '人力资讯'],
  ['/news/top', '人力资讯TOP500'],
  ['/about', '关于我们'],
  ['/join', '加入我们'],
  ['/sitemap', '网站地图'],
  ['/privacy', '隐私政策'],
  ['/terms', '用户协议'],
];

/** Parts of the site crawlers have no business in: private areas, and the forms of the session. */
const ROBOTS_DISALLOW = ['/admin', '/me', '/employer', '/files', '/login', '/logout'];

const SITEMAP_CACHE = 'public, max-age=600';
const HUMAN_SITEMAP_LIMIT = 50;

function newest(...dates: (Date | null | undefined)[]): Date | null {
  const known = dates.filter((d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()));
  return known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : null;
}

/** Every page that is not a job or an article, with when its content last changed. */
function pageEntries(f: SiteFreshness, settings: SiteSettings, base: string): UrlEntry[] {
  // A page whose content never changed dates from the install (the oldest settings write).
  const settingDates = Object.values(f.settings).map((d) => d.getTime());
  const policy = new Date(`${PRIVACY_POLICY_EFFECTIVE_DATE}T00:00:00+08:00`);
  const installed = settingDates.length ? new Date(Math.min(...settingDates)) : policy;
  const jobs = newest(...Object.values(f.jobsByType));
  const everything = newest(jobs, f.latestArticle, ...Object.values(f.settings));
  const lastmod: Record<string, Date | null> = {
    '/': newest(jobs, f.latestArticle),
    '/jobs': jobs,
    '/linshigong': f.jobsByType.temp ?? null,
    '/jianzhi': f.jobsByType.parttime ?? null,
    '/paiqian': f.jobsByType.dispatch ?? null,
    '/news': f.latestArticle,
    '/news/top': f.latestArticle,
    '/about': f.settings.aboutContent ?? null,
    '/join': f.settings.joinContent ?? null,
    '/sitemap': everything,
    '/privacy': policy,
    '/terms': policy,
  };
  const keywordChange = newest(f.settings.keywordPages, jobs);
  return [
    ...SITE_SECTIONS.map(([path]) => ({ loc: base + path, lastmod: lastmod[path] ?? installed })),
    ...settings.keywordPages.map((k) => ({ loc: `${base}/k/${k.slug}`, lastmod: keywordChange ?? installed })),
  ];
}

export function createSitemapRouter(ctx: AppContext, opts: { maxUrls?: number } = {}): Router {
  const router = Router();
  const maxUrls = opts.maxUrls ?? SITEMAP_MAX_URLS;
  // Read per request: without PUBLIC_URL it follows the port the server got (PORT=0), known only after listen().
  const base = () => ctx.config.publicUrl;

  function sendXml(res: Response, xml: string) {
    res.type('application/xml; charset=utf-8');
    // Signed-in responses are already no-store (web/locals.ts); the rest may be cached a little.
    if (!res.get('Cache-Control')) res.set('Cache-Control', SITEMAP_CACHE);
    res.send(xml);
  }

  async function partEntries(part: SitemapPart, today: string, fresh: SiteFreshness): Promise<UrlEntry[]> {
    if (part.kind === 'pages') return pageEntries(fresh, await ctx.settings.get(), base());
    const offset = (part.chunk - 1) * maxUrls;
    if (part.kind === 'jobs') return (await listSitemapJobs(ctx.db, today, offset, maxUrls)).map((j) => ({ loc: `${base()}/jobs/${j.id}`, lastmod: j.lastmod }));
    return (await listSitemapArticles(ctx.db, offset, maxUrls)).map((a) => ({ loc: `${base()}/news/${a.id}`, lastmod: a.lastmod }));
  }

  router.get('/sitemap.xml', async (_req, res) => {
    const today = chinaDate(ctx.now());
    const [fresh, settings] = await Promise.all([loadSiteFreshness(ctx.db, today), ctx.settings.get()]);
    const pages = pageEntries(fresh, settings, base());
    if (pages.length + fresh.jobCount + fresh.articleCount <= maxUrls) {
      const [jobs, news] = await Promise.all([partEntries({ kind: 'jobs', chunk: 1 }, today, fresh), partEntries({ kind: 'news', chunk: 1 }, today, fresh)]);
      return sendXml(res, urlsetXml([...pages, ...jobs, ...news]));
    }
    // Past the protocol's limit: an index of parts, each within it.
    const pagesLastmod = newest(...pages.map((p) => p.lastmod))!;
    const index = planParts({ jobs: fresh.jobCount, articles: fresh.articleCount }, maxUrls).map((part) => ({
      loc: `${base()}/sitemaps/${partFile(part)}`,
      lastmod: (part.kind === 'pages' ? pagesLastmod : part.kind === 'jobs' ? newest(...Object.values(fresh.jobsByType)) : fresh.latestArticle) ?? pagesLastmod,
    }));
    sendXml(res, sitemapIndexXml(index));
  });

  router.get('/sitemaps/:file', async (req, res) => {
    const part = parsePartFile(req.params.file);
    if (!part) throw new NotFoundError();
    const today = chinaDate(ctx.now());
    const fresh = await loadSiteFreshness(ctx.db, today);
    const entries = await partEntries(part, today, fresh);
    if (part.kind !== 'pages' && entries.length === 0) throw new NotFoundError();
    sendXml(res, urlsetXml(entries));
  });

  router.get('/robots.txt', (_req, res) => {
    const lines = ['User-agent: *', ...ROBOTS_DISALLOW.map((p) => `Disallow: ${p}`), '', `Sitemap: ${base()}/sitemap.xml`, ''];
    res.type('text/plain; charset=utf-8');
    if (!res.get('Cache-Control')) res.set('Cache-Control', SITEMAP_CACHE);
    res.send(lines.join('\n'));
  });

  router.get('/sitemap', async (_req, res) => {
    const site = res.locals.site as SiteSettings;
    const today = chinaDate(ctx.now());
    const [jobs, articles] = await Promise.all([listLatestPublishedJobs(ctx.db, today, HUMAN_SITEMAP_LIMIT), listLatestArticles(ctx.db, HUMAN_SITEMAP_LIMIT)]);
    res.render('site/sitemap', {
      title: messages.title,
      description: messages.description(site.siteName),
      breadcrumbs: [{ label: messages.title }],
      sections: SITE_SECTIONS,
      categories: CATEGORIES,
      districts: DISTRICTS,
      keywordPages: site.keywordPages,
      jobs,
      articles,
    });
  });

  return router;
}
