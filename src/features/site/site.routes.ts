// Owns the home page and the health check.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { chinaDate } from '../../domain/dates';
import { DISTRICTS, JOB_TYPES } from '../../domain/vocabulary';
import { listLatestPublishedJobsCached } from '../jobs/jobs.cache';
import { listLatestArticles } from './site.queries';

const messages = {
  homeDescription: (site: string) =>
    `${site}:深圳临时工、兼职、日结工和劳务派遣招聘信息,职位经人工审核,求职全程免费。`,
};

export function createHealthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await ctx.dbHandle.ping(2000);
      res.set('Cache-Control', 'no-store').json({ status: 'ok', db: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'error', db: 'unavailable' });
    }
  });
  return router;
}

export function createSiteRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const site = res.locals.site as { siteName: string };
    const [latestJobs, latestArticles] = await Promise.all([
      listLatestPublishedJobsCached(ctx.db, chinaDate(ctx.now()), 12, res.locals.arrivedAt as number | undefined),
      listLatestArticles(ctx.db, 8),
    ]);
    res.render('site/home', {
      title: `${site.siteName} - 深圳临时工_兼职_劳务派遣招聘`,
      titleIsFull: true,
      description: messages.homeDescription(site.siteName),
      latestJobs,
      latestArticles,
      jobTypes: JOB_TYPES,
      districts: DISTRICTS,
    });
  });

  return router;
}
