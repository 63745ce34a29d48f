// Owns how pages are rendered: EJS, with every page wrapped in views/layouts/main.ejs unless it opts out.
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../paths';

type RenderOptions = Record<string, unknown> & { layout?: string | false; cache?: boolean; settings?: unknown };

/**
 * Express view engine: renders the page, then the layout with the page as `body`.
 * Express passes res.locals merged with the route's data; the data is never req.query or req.body.
 */
export function layoutEngine(file: string, options: object, callback: (err: Error | null, html?: string) => void): void {
  const opts = options as RenderOptions;
  const ejsOptions = { cache: Boolean(opts.cache), filename: file, root: VIEWS_DIR, views: [VIEWS_DIR], async: false };
  ejs.renderFile(file, opts, ejsOptions, (err, body) => {
    if (err) return callback(err);
    if (opts.layout === false) return callback(null, body);
    const layoutFile = path.join(VIEWS_DIR, 'layouts', `${opts.layout ?? 'main'}.ejs`);
    ejs.renderFile(layoutFile, { ...opts, body }, { ...ejsOptions, filename: layoutFile }, callback);
  });
}
