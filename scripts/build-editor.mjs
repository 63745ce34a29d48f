// `npm run build:editor`: bundles client/news-editor.js with TipTap (from node_modules) into one self-hosted file,
// public/js/vendor/news-editor.js, plus the licences of what it holds. The bundle is committed, so `npm start` needs
// no build tools; `--check` (run by test/news.editor.test.ts) fails when it no longer matches its sources.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, 'public', 'js', 'vendor');

/** The bundle's text and the licences of the packages in it, built in memory. */
export async function buildEditor() {
  const result = await build({
    entryPoints: [path.join(root, 'client', 'news-editor.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    legalComments: 'none',
    metafile: true,
    write: false,
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const packages = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m && !packages.has(m[1])) packages.set(m[1], path.join(root, 'node_modules', m[1]));
  }
  const licences = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dir]) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
      return `${name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
    });
  const header = '/* 鹏城劳务派遣网 news editor: TipTap (MIT) and ProseMirror (MIT), bundled by scripts/build-editor.mjs. Licences: news-editor.LICENSES.txt */\n';
  return {
    js: header + result.outputFiles[0].text,
    licences: `Packages bundled into news-editor.js\n${'='.repeat(36)}\n\n${licences.join(`\n${'-'.repeat(72)}\n\n`)}`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { js, licences } = await buildEditor();
  if (process.argv.includes('--check')) {
    // The committed files must be this build: anything else means the sources changed without a rebuild.
    const same = (name, text) => fs.existsSync(path.join(OUT_DIR, name)) && fs.readFileSync(path.join(OUT_DIR, name), 'utf8') === text;
    const stale = [['news-editor.js', js], ['news-editor.LICENSES.txt', licences]].filter(([name, text]) => !same(name, text)).map(([name]) => name);
    console.log(stale.length ? `out of date: ${stale.join(', ')} (npm run build:editor)` : 'up to date');
    process.exit(stale.length ? 1 : 0);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'news-editor.js'), js);
  fs.writeFileSync(path.join(OUT_DIR, 'news-editor.LICENSES.txt'), licences);
  console.log(`news-editor.js: ${Math.round(js.length / 1024)} KB`);
}
