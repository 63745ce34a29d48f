// Owns the demo news of a fresh install: the original site's sample article and its 100 headlines.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/client';
import { articles } from '../../db/schema';
import { SEED_DATA_DIR } from '../../paths';
import { escapeHtml } from './news.sanitize';

type SeedArticle = {
  title: string;
  author: string;
  publishedAt: string;
  imageCaption: string;
  source: string;
  disclaimer: string;
  blocks: { type: 'heading' | 'paragraph'; text: string }[];
};

/** The seed's first block is the byline (`Admin - admin 于…发表`); the page renders that line itself. */
export function seedArticleRow(seed: SeedArticle) {
  const [byline, ...body] = seed.blocks;
  const author = byline?.text.match(/^(.*?)\s*于\d{4}年/)?.[1]?.trim() || seed.author;
  const bodyHtml = body
    .map((b) => (b.type === 'heading' ? `<h3>${escapeHtml(b.text)}</h3>` : `<p>${escapeHtml(b.text)}</p>`))
    .join('\n');
  const firstParagraph = body.find((b) => b.type === 'paragraph')?.text ?? '';
  return {
    title: seed.title,
    summary: firstParagraph.slice(0, 120),
    bodyHtml,
    coverCaption: seed.imageCaption,
    category: 'hr' as const,
    author,
    publishedAt: new Date(`${seed.publishedAt}T09:00:00+08:00`),
    sourceName: seed.source,
    status: 'published' as const,
    isDemo: true,
  };
}

export async function seedDemoNews(tx: Db): Promise<number> {
  const article = JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'article.json'), 'utf8')) as SeedArticle;
  const headlines = JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'headlines.json'), 'utf8')) as string[];
  const base = new Date(`${article.publishedAt}T09:00:00+08:00`).getTime();
  const demo = headlines.map((title, i) => ({
    title,
    summary: `${title}。(演示数据:原站资讯标题,正文从略。)`,
    bodyHtml: `<p>${escapeHtml(title)}。</p><p>本条为演示数据,仅保留原站的资讯标题,正文从略。</p>`,
    category: 'hr' as const,
    author: 'admin',
    // In the seed's order: the first headline is the newest, one day apart, all older than the sample article.
    publishedAt: new Date(base - (i + 1) * 86_400_000),
    status: 'published' as const,
    isDemo: true,
  }));
  await tx.insert(articles).values([seedArticleRow(article), ...demo]);
  return demo.length + 1;
}
