// Owns the article HTML allow-list: every body is cleaned here on save (editor and import), so pages may print it raw.
import type sanitizeHtmlModule from 'sanitize-html';

/** Tags an article body may keep; everything else is removed (its text kept, except script-like content). */
export const ALLOWED_TAGS = ['p', 'br', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'a', 'img', 'strong', 'b', 'em', 'i', 'blockquote'] as const;

/** The site's own cover images, the one relative image source allowed. */
const OWN_IMAGE = /^\/files\/news\/[1-9]\d{0,9}$/;

/**
 * The longest source address kept, as stored (percent-encoded, so ASCII). It is under a unique btree index, whose
 * rows cannot pass about 2,700 bytes: 1,000 Chinese characters typed become 9,000 bytes once encoded.
 */
export const SOURCE_URL_MAX = 2000;

/** An absolute http(s) URL with a host, normalised; anything else (javascript:, data:, relative) is null. */
export function httpUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** Loaded at the first article saved or imported, not at start (issue 21: 0.1 s of module loading). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sanitizeHtml = (html: string, opts: sanitizeHtmlModule.IOptions) => (require('sanitize-html') as typeof sanitizeHtmlModule)(html, opts);

const options: sanitizeHtmlModule.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: { a: ['href', 'rel', 'target'], img: ['src', 'alt', 'loading', 'referrerpolicy'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // The content of these is never shown as text either.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'title', 'head', 'object', 'embed', 'svg', 'math', 'select'],
  // Block structure from other sites survives as the nearest allowed tag instead of running text together.
  transformTags: {
    div: 'p',
    section: 'p',
    article: 'p',
    tr: 'p',
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    a: (tagName, attribs) => {
      const href = httpUrl(attribs.href);
      if (!href) return { tagName, attribs: {} as sanitizeHtmlModule.Attributes };
      return { tagName, attribs: { href, rel: 'nofollow noopener', ...(attribs.target === '_blank' ? { target: '_blank' } : {}) } };
    },
    img: (tagName, attribs) => {
      const raw = (attribs.src ?? '').trim();
      const src = OWN_IMAGE.test(raw) ? raw : httpUrl(raw);
      if (!src) return { tagName, attribs: {} as sanitizeHtmlModule.Attributes };
      // no-referrer: other sites' images often refuse hot-linking by referer, and readers' pages stay private.
      return { tagName, attribs: { src, alt: attribs.alt ?? '', loading: 'lazy', referrerpolicy: 'no-referrer' } };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** The article body reduced to the allow-list: no script, style, iframe, event handlers or javascript: URLs. */
export function sanitizeArticleHtml(html: string): string {
  return unnestParagraphs(sanitizeHtml(html, options)).trim();
}

const BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'blockquote']);
const VOID = new Set(['br', 'img']);

/**
 * Other sites nest blocks in <div>s, which became <p>s: a paragraph holding a heading or another paragraph.
 * Split the outer paragraph around them as a browser would, without leaving empty paragraphs behind.
 * Works on sanitize-html's own output, where `<` and `>` only ever delimit tags.
 */
export function unnestParagraphs(html: string): string {
  const out: string[] = [];
  // A paragraph's start tag is written lazily, when it first gets content.
  const stack: { tag: string; open: boolean }[] = [];
  const top = () => stack[stack.length - 1];
  const openParagraph = () => {
    const t = top();
    if (t?.tag === 'p' && !t.open) {
      out.push('<p>');
      t.open = true;
    }
  };
  for (const token of html.split(/(<[^>]+>)/)) {
    if (!token) continue;
    const tag = /^<(\/?)([a-z0-9]+)/.exec(token);
    if (!tag) {
      if (token.trim()) openParagraph();
      out.push(token);
      continue;
    }
    const [, closing, name] = tag as unknown as [string, string, string];
    if (closing) {
      const frame = stack.pop();
      if (name !== 'p') out.push(token);
      else if (frame?.open) out.push('</p>');
      continue;
    }
    if (BLOCKS.has(name)) {
      const t = top();
      if (t?.tag === 'p' && t.open) {
        out.push('</p>');
        t.open = false;
      }
      if (name === 'p') {
        stack.push({ tag: 'p', open: false });
        continue;
      }
    } else {
      openParagraph();
    }
    out.push(token);
    if (!VOID.has(name) && !token.endsWith('/>')) stack.push({ tag: name, open: true });
  }
  return out.join('');
}

/** Plain text of some HTML (for summaries and titles from feeds): tags removed, entities decoded, spaces collapsed. */
export function htmlToText(html: string): string {
  const text = sanitizeHtml(html.replace(/<(br|\/p|\/h[1-6]|\/li|\/div)\b[^>]*>/gi, '$& '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: options.nonTextTags,
  });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** sanitize-html escapes its text output; turn that (and numeric references) back into characters. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

/** Plain text as a body: one paragraph per line, escaped. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n|\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
