// What an operator runs into: the public address following PORT, readable logs at a terminal, and JSON logs elsewhere.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { wantsPrettyLogs } from '../src/logger';
import { isServerMode } from './helpers/db';
import { startServer } from './helpers/processes';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'plw-ops-'));

describe('PUBLIC_URL', () => {
  it('follows PORT when it is not set, and wins when it is', () => {
    expect(parseConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(parseConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(parseConfig({ PORT: '8080', PUBLIC_URL: 'https://www.example.cn/' }).publicUrl).toBe('https://www.example.cn');
    expect(parseConfig({ PORT: '8080', PUBLIC_URL: 'https://www.example.cn/' }).publicUrlFollowsPort).toBe(false);
  });
});

describe('logs', () => {
  it('are pretty only for a terminal outside production', () => {
    expect(wantsPrettyLogs({ isProduction: false }, true)).toBe(true);
    expect(wantsPrettyLogs({ isProduction: false }, false)).toBe(false);
    expect(wantsPrettyLogs({ isProduction: false }, undefined)).toBe(false);
    expect(wantsPrettyLogs({ isProduction: true }, true)).toBe(false);
  });
});

// A real process on a port the system picks; server mode is the same code and is covered by the PGlite run.
(isServerMode() ? describe.skip : describe)('the server started by a person at a terminal, without PUBLIC_URL', () => {
  it('logs readable lines, and its canonical links, sitemap and RSS name the port it listens on', async () => {
    const dataDir = tempDir();
    // `script` gives the server a pseudo-terminal, as a person running npm start has.
    const env = { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: '', PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'true', LOG_LEVEL: 'info', NODE_ENV: 'development' };
    const child = spawn('script', ['-qefc', `${process.execPath} -r @swc-node/register src/server.ts`, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let port = 0;
      for (let i = 0; i < 600 && !port; i++) {
        port = Number(/listening on http:\/\/localhost:(\d+)/.exec(out)?.[1] ?? 0);
        if (!port) await new Promise((r) => setTimeout(r, 100));
      }
      expect(port).toBeGreaterThan(0);
      // pino-pretty's line: a level word and a local time, not a JSON object.
      const line = out.split('\n').find((l) => l.includes('listening on'))!;
      expect(line).toMatch(/INFO/);
      expect(line).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
      expect(line.trim().startsWith('{')).toBe(false);

      const base = `http://127.0.0.1:${port}`;
      const own = `http://localhost:${port}`;
      const home = await (await fetch(`${base}/jobs`)).text();
      expect(home).toContain(`<link rel="canonical" href="${own}/jobs">`);
      const sitemap = await (await fetch(`${base}/sitemap.xml`)).text();
      expect(sitemap).toContain(`<loc>${own}/`);
      expect(sitemap).not.toContain('localhost:3000');
      const feed = await (await fetch(`${base}/feed.xml`)).text();
      expect(feed).toContain(`${own}/news/`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('logs JSON when its output is not a terminal', async () => {
    const dataDir = tempDir();
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false', NODE_ENV: 'development' });
    try {
      const line = server.output().split('\n').find((l) => l.includes('listening on'))!;
      expect(JSON.parse(line)).toMatchObject({ level: 30, port: server.port, url: `http://localhost:${server.port}` });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
