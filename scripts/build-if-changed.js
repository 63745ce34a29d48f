// `npm run build` and `npm start` run this: it compiles src/ into dist/ only when a source changed since the last build,
// so a start with nothing changed goes straight to the server (issue 21: ~30 s of tsc before, now ~0).
// "Changed" is make's rule: a file or folder under src/ (a removed file changes its folder), or a build
// setting, newer than the stamp written after the last successful build. A fresh clone has no dist/: it builds.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/** The newest modification time of a file, or of a folder and everything in it. */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  let t = stat.mtimeMs;
  if (stat.isDirectory()) for (const name of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, name)));
  return t;
}

function stampTime() {
  try {
    return Number(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return -1;
  }
}

const sources = Math.max(...INPUTS.map((i) => newest(path.join(ROOT, i))));
if (sources <= stampTime() && fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) process.exit(0);

console.error('building dist/ (sources changed since the last build)');
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
// The sources' time as read before the build: a file saved during the build makes the next start build again.
fs.writeFileSync(STAMP, String(sources));
