// Owns the public news pages: /news (by category), /news/top, /news/:id, /feed.xml and the cover images.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { ARTICLE_CATEGORIES } from '../../domain/vocabulary';
import { NotFoundError } from '../../errors';
import { parseId } from '../../web/forms';
import { format } from '../../web/format';
import { buildRssFeed } from './news.feed';
import { escapeHtml } from './news.sanitize';
import { getArticleForReader, getCoverFile, listFeedNews, listNewsPage, listTopNews, shownDate, TOP_LIMIT } from './news.service';
import { factParts } from '../site/facts';
import { parseNewsQuery } from './news.validation';
import { isCountableView, viewRecorderOf, visitorKey } from './news.viewCount';

const messages = {
  listTitle: '人力资讯',
  listDescription: (site: string) => `${site}人力资讯:劳务派遣、用工政策、行业动态与招聘资讯。`,
  pageSuffix: (page: number) => ` - 第${page}页`,
  topTitle: '人力资讯TOP500',
  topDescription: (site: string) => `${site}阅读最多的 500 篇人力资讯。`,
  feedDescription: (site: string) => `${site}最新人力资讯:劳务派遣、用工政策与行业动态。`,
  feedTitle: (site: string) => `${site} - 人力资讯`,
};

const YEAR_SECONDS = 31_536_000;

/** `<link rel="alternate">` to the feed, for every news page (trusted markup; the name is escaped). */
function feedLink(siteName: string): string {
  return `<link rel="alternate" type="application/rss+xml" title="${escapeHtml(messages.feedTitle(siteName))}" href="/feed.xml">`;
}

/** schema.org NewsArticle for search engines; `<` escaped so the JSON cannot close the script element. */
function articleJsonLd(data: Record<string, unknown>): string {
  return `<script type="application/ld+json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
}

export function createNewsRouter(ctx: AppContext): Router {
  const router = Router();
  const views = viewRecorderOf(ctx);

  router.get('/news', async (req, res) => {
    const site = res.locals.site as { siteName: string };
    const query = parseNewsQuery(req.query);
    const { rows, total, totalPages } = await listNewsPage(ctx.db, query);
    const categoryLabel = query.category ? ARTICLE_CATEGORIES[query.category] : undefined;
    const baseQuery = { category: query.category };
    res.render('news/index', {
      title: (categoryLabel && categoryLabel !== messages.listTitle ? `${categoryLabel} - ${messages.listTitle}` : messages.listTitle) + (query.page > 1 ? messages.pageSuffix(query.page) : ''),
      description: messages.listDescription(site.siteName),
      canonical: ctx.config.publicUrl + '/news' + format.query(baseQuery, { page: query.page > 1 ? query.page : undefined }),
      breadcrumbs: [{ label: messages.listTitle, href: '/news' }, ...(categoryLabel ? [{ label: categoryLabel }] : [])],
      headExtra: feedLink(site.siteName),
      articles: rows,
      total,
      category: query.category ?? '',
      categories: Object.entries(ARTICLE_CATEGORIES),
      page: query.page,
      totalPages,
      baseQuery,
    });
  });

  router.get('/news/top', async (_req, res) => {
    const site = res.locals.site as { siteName: string };
    const articles = await listTopNews(ctx.db);
    res.render('news/top', {
      title: messages.topTitle,
      description: messages.topDescription(site.siteName),
      breadcrumbs: [{ label: messages.listTitle, href: '/news' }, { label: messages.topTitle }],
      headExtra: feedLink(site.siteName),
      articles,
      limit: TOP_LIMIT,
    });
  });

  router.get('/news/:id', async (req: Request, res: Response) => {
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError();
    const isAdmin = req.user?.role === 'admin';
    const { article, prev, next, related } = await getArticleForReader(ctx.db, id, { isAdmin }, res.locals.arrivedAt as number | undefined);
    const site = await ctx.settings.get();
    const canonical = `${ctx.config.publicUrl}/news/${article.id}`;
    const coverUrl = article.coverFileId ? `/files/news/${article.coverFileId}` : null;
    const published = article.status === 'published';

    if (published) {
      // Counted after the page has gone out: the reader never waits for the write.
      const visitor = visitorKey(ctx.config.sessionSecret, { userId: req.user?.id, ip: req.ip, userAgent: req.get('user-agent') });
      res.once('finish', () => {
        const purpose = req.get('sec-purpose') ?? req.get('purpose');
        if (isCountableView({ method: req.method, status: res.statusCode, userAgent: req.get('user-agent'), purpose })) views.record(article.id, visitor);
      });
    }

    const date = shownDate(article);
    res.render('news/show', {
      title: article.title,
      description: article.summary,
      canonical,
      ogType: 'article',
      noindex: !published,
      breadcrumbs: [{ label: messages.listTitle, href: '/news' }, { label: article.title }],
      headExtra:
        feedLink(site.siteName) +
        (published
          ? articleJsonLd({
              '@context': 'https://schema.org',
              '@type': 'NewsArticle',
              headline: article.title,
              description: article.summary,
              datePublished: date.toISOString(),
              dateModified: article.updatedAt.toISOString(),
              author: { '@type': 'Person', name: article.author },
              publisher: { '@type': 'Organization', name: site.siteName },
              mainEntityOfPage: canonical,
              ...(coverUrl ? { image: [ctx.config.publicUrl + coverUrl] } : {}),
            })
          : ''),
      article,
      date,
      coverUrl,
      categoryLabel: ARTICLE_CATEGORIES[article.category],
      isDraft: !published,
      prev,
      next,
      related,
      takedownParts: factParts(site.takedownContact, site),
    });
  });

  router.get('/feed.xml', async (_req, res) => {
    const site = await ctx.settings.get();
    const rows = await listFeedNews(ctx.db);
    const xml = buildRssFeed(
      { siteName: site.siteName, publicUrl: ctx.config.publicUrl, description: messages.feedDescription(site.siteName), builtAt: ctx.now() },
      rows,
    );
    res.set('Content-Type', 'application/rss+xml; charset=utf-8').set('Cache-Control', 'public, max-age=600').send(xml);
  });

  // Cover images: public once their article is published; admins also see those of drafts.
  router.get('/files/news/:fileId', async (req, res) => {
    const id = parseId(req.params.fileId);
    if (!id) throw new NotFoundError();
    const file = await getCoverFile(ctx.db, id, { isAdmin: req.user?.role === 'admin' });
    if (!(await ctx.storage.exists(file.storageKey))) throw new NotFoundError();
    res.set({
      'Content-Type': file.mime,
      'Content-Length': String(file.size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': 'inline',
      // A file id never changes content (a new cover is a new file), so a published cover may be cached for good.
      'Cache-Control': file.publicUse ? `public, max-age=${YEAR_SECONDS}, immutable` : 'private, no-store',
    });
    const stream = ctx.storage.createReadStream(file.storageKey);
    stream.on('error', (err) => {
      ctx.logger.warn({ err, fileId: id }, 'cover image read failed');
      res.destroy();
    });
    stream.pipe(res);
  });

  return router;
}
