// Owns the XML of the sitemaps (sitemaps.org protocol 0.9): a <urlset>, or, past 50,000 URLs, a <sitemapindex>
// of parts (`pages`, `jobs-N`, `news-N`) of at most 50,000 URLs each.
import { xmlEscape } from '../news/news.feed';

/** The protocol's limit of URLs in one sitemap file (and the file stays far below its 50 MB). */
export const SITEMAP_MAX_URLS = 50_000;

export type UrlEntry = { loc: string; lastmod: Date };

/** W3C Datetime, in UTC to the second: 2026-11-28T01:43:16Z. */
export function w3cDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function urlsetXml(entries: UrlEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const e of entries) lines.push(`<url><loc>${xmlEscape(e.loc)}</loc><lastmod>${w3cDate(e.lastmod)}</lastmod></url>`);
  lines.push('</urlset>', '');
  return lines.join('\n');
}

export function sitemapIndexXml(entries: UrlEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const e of entries) lines.push(`<sitemap><loc>${xmlEscape(e.loc)}</loc><lastmod>${w3cDate(e.lastmod)}</lastmod></sitemap>`);
  lines.push('</sitemapindex>', '');
  return lines.join('\n');
}

export type SitemapPart = { kind: 'pages' } | { kind: 'jobs' | 'news'; chunk: number };

/** The file name of a part: pages.xml, jobs-1.xml, news-3.xml. */
export function partFile(part: SitemapPart): string {
  return part.kind === 'pages' ? 'pages.xml' : `${part.kind}-${part.chunk}.xml`;
}

export function parsePartFile(name: string): SitemapPart | undefined {
  if (name === 'pages.xml') return { kind: 'pages' };
  const m = /^(jobs|news)-([1-9]\d{0,4})\.xml$/.exec(name);
  return m ? { kind: m[1] as 'jobs' | 'news', chunk: Number(m[2]) } : undefined;
}

/** The parts an index lists for these counts: the pages, then as many chunks of jobs and of articles as needed. */
export function planParts(counts: { jobs: number; articles: number }, maxUrls = SITEMAP_MAX_URLS): SitemapPart[] {
  const chunks = (n: number) => Math.ceil(n / maxUrls);
  return [
    { kind: 'pages' },
    ...Array.from({ length: chunks(counts.jobs) }, (_, i) => ({ kind: 'jobs' as const, chunk: i + 1 })),
    ...Array.from({ length: chunks(counts.articles) }, (_, i) => ({ kind: 'news' as const, chunk: i + 1 })),
  ];
}
