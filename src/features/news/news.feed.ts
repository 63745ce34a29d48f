// Owns the RSS 2.0 document of the latest news (/feed.xml).
import type { ArticleCategory } from '../../domain/vocabulary';
import { ARTICLE_CATEGORIES } from '../../domain/vocabulary';

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export type FeedItem = {
  id: number;
  title: string;
  summary: string;
  category: ArticleCategory;
  publishedAt: Date | null;
};

export type FeedChannel = { siteName: string; publicUrl: string; description: string; builtAt: Date };

/** RFC 822 date, as RSS 2.0 asks (`Sun, 17 Apr 2022 01:00:00 GMT`). */
export function rfc822(d: Date): string {
  return d.toUTCString();
}

export function buildRssFeed(channel: FeedChannel, items: FeedItem[]): string {
  const base = channel.publicUrl;
  const tag = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;
  const latest = items.find((i) => i.publishedAt)?.publishedAt ?? channel.builtAt;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    tag('title', `${channel.siteName} - 人力资讯`),
    tag('link', `${base}/news`),
    tag('description', channel.description),
    tag('language', 'zh-cn'),
    tag('lastBuildDate', rfc822(latest)),
    `<atom:link href="${xmlEscape(`${base}/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const item of items) {
    const link = `${base}/news/${item.id}`;
    lines.push(
      '<item>',
      tag('title', item.title),
      tag('link', link),
      `<guid isPermaLink="true">${xmlEscape(link)}</guid>`,
      ...(item.publishedAt ? [tag('pubDate', rfc822(item.publishedAt))] : []),
      tag('description', item.summary),
      tag('category', ARTICLE_CATEGORIES[item.category]),
      '</item>',
    );
  }
  lines.push('</channel>', '</rss>', '');
  return lines.join('\n');
}
