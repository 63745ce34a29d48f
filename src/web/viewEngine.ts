// Owns how pages are rendered: EJS, with every page wrapped in views/layouts/main.ejs unless it opts out.
// Each template is compiled once into a function, and `include` calls that function directly: no path lookup
// on disk and no copy of the page's locals per include, as ejs's own include does (issue 21).
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../paths';

type RenderOptions = Record<string, unknown> & { layout?: string | false; cache?: boolean; settings?: unknown };
type Locals = Record<string, unknown>;
type Include = (name: string, data?: Locals) => string;
/** `data`: what includes above this one passed (`include(name, data)`), over `locals`, the page's. */
type Compiled = (locals: Locals, data: Locals | undefined, escape: (s: unknown) => string, include: Include) => string;

class Templates {
  private readonly compiled = new Map<string, Compiled>();
  /** The file an include names, per including file: no key string is made per include (issue 21). */
  private readonly resolved = new Map<string, Map<string, string>>();

  /** Forgets everything: development renders read the files again, so an edited view shows at once. */
  clear(): void {
    this.compiled.clear();
    this.resolved.clear();
  }

  /**
   * An include's data is kept beside the page's locals, not over them as an object whose prototype is the locals:
   * V8 turned the page's 55 locals into a prototype at the first include with data on every page, and read each
   * name through a new prototype chain, about a tenth of a drawn job page's CPU (issue 21).
   */
  render(file: string, locals: Locals, data?: Locals): string {
    const include: Include = (name, more) => this.render(this.resolve(file, name), locals, more ? (data ? { ...data, ...more } : more) : data);
    return this.get(file)(locals, data, escapeXml, include);
  }

  private get(file: string): Compiled {
    let fn = this.compiled.get(file);
    if (!fn) {
      fn = compileWithoutWith(fs.readFileSync(file, 'utf8'), file);
      this.compiled.set(file, fn);
    }
    return fn;
  }

  /** ejs's rules: beside the including file first, then in the views folder; `.ejs` when no extension is given. */
  private resolve(from: string, name: string): string {
    let names = this.resolved.get(from);
    if (!names) this.resolved.set(from, (names = new Map()));
    let file = names.get(name);
    if (!file) {
      const withExt = path.extname(name) ? name : `${name}.ejs`;
      const beside = path.resolve(path.dirname(from), withExt);
      file = name.startsWith('/') ? path.join(VIEWS_DIR, withExt) : fs.existsSync(beside) ? beside : path.resolve(VIEWS_DIR, withExt);
      names.set(name, file);
    }
    return file;
  }
}

/** Words that can not name a variable, and the names the template function itself uses. */
const NOT_LOCALS = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof new null ' +
    'return super switch this throw true try typeof var void while with yield let static enum await implements package protected interface private ' +
    'public arguments eval undefined NaN Infinity globalThis locals __data escapeFn include rethrow __output __append __line __lines __filename'
  ).split(' '),
);

/**
 * A template as a function of (locals, escape, include), like ejs's `client` compile, but with each local a
 * variable read once per call instead of `with (locals)`: under `with` every name in the template (`__append`,
 * `escapeFn`, each local) is looked up at run time through the locals and their prototypes, which was most of the
 * templates' own time on a drawn job page (issue 21). The names are the identifiers of the generated code outside
 * ejs's literal text; a name no local has reads as undefined where `with` would throw, and a global name (Date,
 * JSON) stays the global unless the locals have it. The template's code runs in a block of its own, so its
 * `const`s may share a local's name.
 */
function compileWithoutWith(text: string, file: string): Compiled {
  const template = new ejs.Template(text, { compileDebug: false, _with: false, localsName: 'locals', filename: file, root: VIEWS_DIR, views: [VIEWS_DIR] });
  (template as unknown as { generateSource(): void }).generateSource();
  const body = template.source;
  // Only ejs's own literal text (`; __append("…")`, always double-quoted and escaped) is left out of the scan: a scan
  // that skipped the template's own strings too took the quote in `it's` inside a backtick string for the start of
  // one, and hid the names after it. Words of the template's strings that become names are read and never used.
  const code = body.replace(/; __append\("(?:[^"\\\n]|\\.)*"\)/g, '');
  const names = new Set<string>();
  // An identifier not read as a property (`.name`; a spread `...name` is a variable).
  for (const [name] of code.matchAll(/(?<![\w$])(?<!(?:^|[^.])\.)[A-Za-z_$][\w$]*/g)) if (!NOT_LOCALS.has(name)) names.add(name);
  // A name the include data has comes from it, as if the data were the locals.
  const reads = [...names].map((name) => {
    const quoted = JSON.stringify(name);
    const fromLocals = name in globalThis ? `${quoted} in locals ? locals.${name} : globalThis.${name}` : `locals.${name}`;
    return `${name} = __data !== undefined && ${quoted} in __data ? __data.${name} : ${fromLocals}`;
  });
  // A template that reads `locals` itself gets the data over the locals, as one object (`Object` may be one of the
  // template's names, hoisted and not yet read here).
  const merge = /(?<![\w$.])locals(?![\w$])/.test(code) ? 'if (__data !== undefined) locals = globalThis.Object.assign(globalThis.Object.create(locals), __data);\n' : '';
  const source = `${merge}${reads.length ? `var ${reads.join(',\n  ')};\n` : ''}{\nvar __output = "";\nfunction __append(s) { if (s !== undefined && s !== null) __output += s }\n${body}\nreturn __output;\n}\n//# sourceURL=${file}`;
  const fn = new Function('locals, __data, escapeFn, include', source) as Compiled;
  // Without ejs's line-by-line bookkeeping, an error names its template (stacks and profiles name its file).
  return (locals, data, escape, include) => {
    try {
      return fn(locals, data, escape, include);
    } catch (err) {
      if (err instanceof Error && !err.message.includes(file)) err.message += ` (in ${path.relative(VIEWS_DIR, file)})`;
      throw err;
    }
  };
}

const templates = new Templates();

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const XML_SPECIAL = /[&<>'"]/g;
const HAS_XML_SPECIAL = /[&<>'"]/;

/**
 * ejs's `escapeXML`, the same output: a text with nothing to escape (most values of a page) is only tested, not
 * replaced with a function per match (2–3 times faster on a job page's values; escaping was 3–4 % of a drawn
 * page: issue 21).
 */
export function escapeXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return HAS_XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL, (c) => XML_ESCAPES[c]!) : text;
}

/** Each view's file (a page or a layout), joined once: no path is joined per render. */
const viewFiles = new Map<string, string>();

function viewFile(name: string): string {
  let file = viewFiles.get(name);
  if (!file) viewFiles.set(name, (file = path.join(VIEWS_DIR, `${name}.ejs`)));
  return file;
}

/** A page (`name` as given to `res.render`, e.g. 'jobs/show') in its layout: what Express's `res.render` sends. */
export function renderView(name: string, locals: Locals): string {
  return renderInLayout(viewFile(name), locals as RenderOptions);
}

function renderInLayout(file: string, opts: RenderOptions): string {
  const body = templates.render(file, opts);
  if (opts.layout === false) return body;
  return templates.render(viewFile(`layouts/${opts.layout ?? 'main'}`), opts, { body });
}

/**
 * Express view engine: renders the page, then the layout with the page as `body`.
 * Express passes res.locals merged with the route's data; the data is never req.query or req.body.
 */
export function layoutEngine(file: string, options: object, callback: (err: Error | null, html?: string) => void): void {
  const opts = options as RenderOptions;
  if (!opts.cache) templates.clear();
  let html: string;
  try {
    html = renderInLayout(file, opts);
  } catch (err) {
    return callback(err as Error);
  }
  callback(null, html);
}

/** `bytes` is declared from the start: one shape for every entry (added later, it gave entries two). */
type Made = { minute: number; html: string; /** Its UTF-8, made at the first page drawn as bytes (`renderViewBytes`). */ bytes: Buffer | undefined };
/** Fragments without a key (the similar-job cards) by their object alone; keyed ones (header, footer) per key. */
const plainFragments = new WeakMap<object, Made>();
const fragments = new WeakMap<object, Map<string, Made>>();

/**
 * The HTML of a fragment that depends only on `of`, `key` and the clock minute (relative times such as 5分钟前,
 * the year), made once a minute. `of` must never change once made: e.g. the job cards of the similar-jobs index,
 * new objects for each 'listed_jobs' generation, so a change to a job gives new cards and new HTML; or the site
 * settings, a new object for each 'site_settings' generation. The six similar-job cards were re-rendered for every
 * job page, the header and footer for every page (issue 21).
 */
export function fragmentOf(of: object, render: () => string, key = ''): string {
  return madeFragment(of, render, key).html;
}

/**
 * A job page looks up eight fragments, six of them cards among some 4,500 of the similar-jobs index: one lookup for a
 * card instead of a `Map` per card was 3–7 % of a drawn page with its reads (issue 21).
 */
function madeFragment(of: object, render: () => string, key: string): Made {
  const minute = Math.floor(Date.now() / 60_000);
  if (key === '') {
    const made = plainFragments.get(of);
    if (made !== undefined && made.minute === minute) return made;
    const fresh: Made = { minute, html: render(), bytes: undefined };
    plainFragments.set(of, fresh);
    return fresh;
  }
  let kept = fragments.get(of);
  if (!kept) fragments.set(of, (kept = new Map()));
  const made = kept.get(key);
  if (made && made.minute === minute) return made;
  const fresh: Made = { minute, html: render(), bytes: undefined };
  kept.set(key, fresh);
  return fresh;
}

/**
 * Stands for the fragment `pieces[i]` in a page drawn as bytes: U+0000, i, ';'. Fragments are not made in page order
 * (the page before its layout's header). PostgreSQL text can not hold U+0000, and forms refuse it.
 */
const PIECE = '\u0000';
/** Where a page's text is encoded before its exact-size copy: grown to the largest page, never shrunk. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * `renderView` as UTF-8 bytes, the same bytes as `Buffer.from(renderView(name, locals))`: each fragment
 * (`locals.fragment`, i.e. `fragmentOf`) is encoded once a minute and copied in, and only the rest of the page is
 * encoded per render. A job page drawn for the page cache is about half fragments (header, footer, similar-job
 * cards); encoding the whole 13.5 KB string was a tenth of a drawn page's CPU (issue 21).
 */
export function renderViewBytes(name: string, locals: Locals): Buffer {
  const pieces: Buffer[] = [];
  let inside = 0;
  const fragment = (of: object, render: () => string, key = ''): string => {
    // A fragment made inside another is part of that one's text.
    if (inside) return fragmentOf(of, render, key);
    inside++;
    let made: Made;
    try {
      made = madeFragment(of, render, key);
    } finally {
      inside--;
    }
    pieces.push((made.bytes ??= Buffer.from(made.html)));
    return `${PIECE}${pieces.length - 1};`;
  };
  const plain = locals.fragment;
  locals.fragment = fragment;
  let text: string;
  try {
    text = renderView(name, locals);
  } finally {
    locals.fragment = plain;
  }
  return joinPieces(text, pieces) ?? Buffer.from(renderView(name, locals));
}

/**
 * `text` with each PIECE mark replaced by its piece, as UTF-8; undefined unless each mark names a piece and there is
 * one mark per piece. The text is encoded in one call and its marks found as bytes: U+0000 is the only character
 * whose UTF-8 holds a zero byte.
 */
function joinPieces(text: string, pieces: Buffer[]): Buffer | undefined {
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafeSlow(text.length * 3);
  const encoded = scratch.write(text, 0);
  let size = encoded;
  for (const piece of pieces) size += piece.length;
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  let from = 0;
  let found = 0;
  for (let mark = scratch.indexOf(0); mark !== -1 && mark < encoded; mark = scratch.indexOf(0, from)) {
    const end = scratch.indexOf(SEMICOLON, mark);
    let index = 0;
    for (let digit = mark + 1; digit < end; digit++) index = index * 10 + scratch[digit]! - ZERO;
    const piece = end !== -1 && end < encoded && end - mark <= 4 ? pieces[index] : undefined;
    if (!piece) return undefined;
    at += scratch.copy(bytes, at, from, mark);
    at += piece.copy(bytes, at);
    from = end + 1;
    found++;
  }
  if (found !== pieces.length) return undefined;
  at += scratch.copy(bytes, at, from, encoded);
  return bytes.subarray(0, at);
}

const SEMICOLON = 0x3b;
const ZERO = 0x30;
