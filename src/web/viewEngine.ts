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
type Compiled = (locals: Locals, escape: (s: unknown) => string, include: Include) => string;

class Templates {
  private readonly compiled = new Map<string, Compiled>();
  private readonly resolved = new Map<string, string>();

  /** Forgets everything: development renders read the files again, so an edited view shows at once. */
  clear(): void {
    this.compiled.clear();
    this.resolved.clear();
  }

  render(file: string, locals: Locals): string {
    const include: Include = (name, data) => this.render(this.resolve(file, name), data ? Object.assign(Object.create(locals) as Locals, data) : locals);
    return this.get(file)(locals, ejs.escapeXML, include);
  }

  private get(file: string): Compiled {
    let fn = this.compiled.get(file);
    if (!fn) {
      // `client` gives the bare template function, which takes `include` as an argument.
      fn = ejs.compile(fs.readFileSync(file, 'utf8'), { client: true, filename: file, root: VIEWS_DIR, views: [VIEWS_DIR] }) as unknown as Compiled;
      this.compiled.set(file, fn);
    }
    return fn;
  }

  /** ejs's rules: beside the including file first, then in the views folder; `.ejs` when no extension is given. */
  private resolve(from: string, name: string): string {
    const key = `${from}\u0000${name}`;
    let file = this.resolved.get(key);
    if (!file) {
      const withExt = path.extname(name) ? name : `${name}.ejs`;
      const beside = path.resolve(path.dirname(from), withExt);
      file = name.startsWith('/') ? path.join(VIEWS_DIR, withExt) : fs.existsSync(beside) ? beside : path.resolve(VIEWS_DIR, withExt);
      this.resolved.set(key, file);
    }
    return file;
  }
}

const templates = new Templates();

/** A page (`name` as given to `res.render`, e.g. 'jobs/show') in its layout: what Express's `res.render` sends. */
export function renderView(name: string, locals: Locals): string {
  return renderInLayout(path.join(VIEWS_DIR, `${name}.ejs`), locals as RenderOptions);
}

function renderInLayout(file: string, opts: RenderOptions): string {
  const body = templates.render(file, opts);
  if (opts.layout === false) return body;
  const layoutFile = path.join(VIEWS_DIR, 'layouts', `${opts.layout ?? 'main'}.ejs`);
  return templates.render(layoutFile, Object.assign(Object.create(opts) as Locals, { body }));
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

const fragments = new WeakMap<object, Map<string, { minute: number; html: string }>>();

/**
 * The HTML of a fragment that depends only on `of`, `key` and the clock minute (relative times such as 5分钟前,
 * the year), made once a minute. `of` must never change once made: e.g. the job cards of the similar-jobs index,
 * new objects for each 'listed_jobs' generation, so a change to a job gives new cards and new HTML; or the site
 * settings, a new object for each 'site_settings' generation. The six similar-job cards were re-rendered for every
 * job page, the header and footer for every page (issue 21).
 */
export function fragmentOf(of: object, render: () => string, key = ''): string {
  const minute = Math.floor(Date.now() / 60_000);
  let kept = fragments.get(of);
  if (!kept) fragments.set(of, (kept = new Map()));
  const made = kept.get(key);
  if (made && made.minute === minute) return made.html;
  const html = render();
  kept.set(key, { minute, html });
  return html;
}
