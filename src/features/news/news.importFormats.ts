// Owns reading an import file: RSS 2.0, Atom or a JSON array, told apart by content, into plain items.
// A file that cannot be read as one of them is refused whole (ImportFileError): nothing of it is imported.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntities, escapeHtml, textToHtml } from './news.sanitize';

const messages = {
  empty: '文件是空的',
  unknownFormat: '无法识别的文件格式:请上传 RSS 2.0 或 Atom (XML) 文件,或 JSON 文章数组',
  badJson: (detail: string) => `JSON 格式错误:${detail}`,
  notArray: 'JSON 文件必须是文章数组,形如 [{"title": …}, …]',
  badXml: (line: number, col: number, detail: string) => `XML 格式错误(第 ${line} 行第 ${col} 列):${detail}`,
  unknownRoot: (root: string) => `不支持的 XML 根元素 <${root}>:仅支持 RSS 2.0 (<rss>) 和 Atom (<feed>)`,
  noChannel: 'RSS 文件缺少 <channel> 元素',
  notText: '文件不是 UTF-8 文本',
};

export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

export type ImportFormat = 'rss' | 'atom' | 'json';

/** One article as found in the file, not yet checked. Values are whatever the file held. */
export type RawItem = {
  /** 1-based position in the file, for the report. */
  index: number;
  title: unknown;
  body: unknown;
  summary: unknown;
  sourceName: unknown;
  sourceUrl: unknown;
  publishedAt: unknown;
  author: unknown;
  /** JSON: one category, which must be known. */
  category: unknown;
  /** RSS/Atom: free-form tags of the other site; the first that names one of ours is used. */
  tags: string[];
  /** The title is HTML (Atom type="html"/"xhtml") and must be reduced to text. */
  titleIsHtml?: boolean;
  /** A JSON array element that is not an object. */
  notObject?: boolean;
};

export type ParsedFile = { format: ImportFormat; items: RawItem[] };

const ITEM_ARRAYS = new Set(['rss.channel.item', 'rss.channel.item.category', 'feed.entry', 'feed.entry.link', 'feed.entry.category', 'feed.entry.author']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Feeds use HTML entities (&nbsp; &mdash;) although XML does not define them.
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Atom text constructs are kept raw and decoded by their `type` (text, html or xhtml markup).
  stopNodes: ['feed.entry.title', 'feed.entry.summary', 'feed.entry.content'],
  isArray: (_name, jpath) => ITEM_ARRAYS.has(String(jpath)),
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of an element that may carry attributes ({ '#text': …, '@_x': … }). */
function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  return undefined;
}

const attr = (v: unknown, name: string): string | undefined => (isNode(v) && typeof v[`@_${name}`] === 'string' ? (v[`@_${name}`] as string) : undefined);

/** Raw XML character data: CDATA sections literal, entities decoded everywhere else. */
function decodeXmlText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part)))
    .join('')
    .trim();
}

/** An Atom text construct as HTML (or text) by its type. */
function atomText(v: unknown): { value: string; html: boolean } | undefined {
  const raw = textOf(v);
  if (raw === undefined) return undefined;
  const type = (attr(v, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml') return { value: raw.trim(), html: true };
  return { value: decodeXmlText(raw), html: type === 'html' || type === 'text/html' };
}

function rssItems(root: unknown): RawItem[] {
  const channel = isNode(root) ? root.channel : undefined;
  if (!isNode(channel)) throw new ImportFileError(messages.noChannel);
  const channelTitle = textOf(channel.title);
  const items = Array.isArray(channel.item) ? channel.item : [];
  return items.map((it: unknown, i) => {
    const item = isNode(it) ? it : {};
    const encoded = textOf(item.encoded);
    const description = textOf(item.description);
    const guid = item.guid;
    const guidUrl = attr(guid, 'isPermaLink') !== 'false' ? textOf(guid) : undefined;
    const categories = Array.isArray(item.category) ? item.category.map(textOf).filter((c): c is string => !!c) : [];
    return {
      index: i + 1,
      title: textOf(item.title),
      body: encoded ?? description,
      // With full content present, the description is the summary; otherwise the summary comes from the body.
      summary: encoded ? description : undefined,
      sourceName: textOf(item.source) ?? channelTitle,
      sourceUrl: textOf(item.link) ?? guidUrl,
      publishedAt: textOf(item.pubDate) ?? textOf(item.date),
      author: rssAuthor(textOf(item.creator) ?? textOf(item.author)),
      category: undefined,
      tags: categories,
    };
  });
}

/** RSS `<author>` is `email (Name)`: keep the name. */
function rssAuthor(v: string | undefined): string | undefined {
  if (!v) return v;
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(v.trim());
  return named ? named[1] : v;
}

function atomItems(root: unknown): RawItem[] {
  const feed = isNode(root) ? root : {};
  const feedTitle = atomText(feed.title)?.value;
  const entries = Array.isArray(feed.entry) ? feed.entry : [];
  return entries.map((e: unknown, i) => {
    const entry = isNode(e) ? e : {};
    const links = Array.isArray(entry.link) ? entry.link : [];
    const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
    const title = atomText(entry.title);
    const content = atomText(entry.content);
    const summary = atomText(entry.summary);
    const authors = Array.isArray(entry.author) ? entry.author : [];
    const source = isNode(entry.source) ? entry.source : undefined;
    const categories = Array.isArray(entry.category) ? entry.category : [];
    return {
      index: i + 1,
      title: title?.value,
      titleIsHtml: title?.html,
      body: content ? (content.html ? content.value : textToHtml(content.value)) : undefined,
      // Summaries are reduced to text later; plain text is escaped first so that `a <b> c` stays text.
      summary: summary ? (summary.html ? summary.value : escapeHtml(summary.value)) : undefined,
      sourceName: (source && textOf(source.title)) ?? feedTitle,
      sourceUrl: attr(alternate, 'href'),
      publishedAt: textOf(entry.published) ?? textOf(entry.updated),
      author: isNode(authors[0]) ? textOf(authors[0].name) : undefined,
      category: undefined,
      tags: categories.map((c) => attr(c, 'term') ?? attr(c, 'label')).filter((t): t is string => !!t),
    };
  });
}

function jsonItems(data: unknown): RawItem[] {
  if (!Array.isArray(data)) throw new ImportFileError(messages.notArray);
  return data.map((it: unknown, i) => {
    const item = isNode(it) ? it : {};
    return {
      index: i + 1,
      title: item.title,
      body: item.body,
      summary: item.summary,
      sourceName: item.sourceName,
      sourceUrl: item.sourceUrl,
      publishedAt: item.publishedAt,
      author: item.author,
      category: item.category,
      tags: [],
      ...(isNode(it) ? {} : { notObject: true }),
    };
  });
}

/** Reads the file's text (UTF-8, an optional BOM) and tells its format by its first character. */
export function parseImportFile(bytes: Buffer | string): ParsedFile {
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ImportFileError(messages.notText);
    }
  }
  text = text.replace(/^\uFEFF/, '');
  const start = text.trimStart()[0];
  if (start === undefined) throw new ImportFileError(messages.empty);
  if (start === '[' || start === '{') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ImportFileError(messages.badJson((err as Error).message));
    }
    return { format: 'json', items: jsonItems(data) };
  }
  if (start !== '<') throw new ImportFileError(messages.unknownFormat);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ImportFileError(messages.badXml(valid.err.line, valid.err.col, valid.err.msg));
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (err) {
    throw new ImportFileError(messages.badXml(0, 0, (err as Error).message));
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (root === 'rss') return { format: 'rss', items: rssItems(doc.rss) };
  if (root === 'feed') return { format: 'atom', items: atomItems(doc.feed) };
  throw new ImportFileError(messages.unknownRoot(root ?? '?'));
}
