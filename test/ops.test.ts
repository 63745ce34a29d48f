// What an operator runs into: the public address following PORT, readable logs at a terminal and JSON elsewhere, and
// the operator's guide (docs/运维指南.md): its files are the ones in deploy/, and its commands run here where they can.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { users } from '../src/db/schema';
import { createUser } from '../src/features/accounts/accounts.service';
import { GUIDE_FILE, headingAnchor } from '../src/features/admin/admin.help';
import { createLogger, wantsPrettyLogs } from '../src/logger';
import { createTestApp } from './helpers/app';
import { isServerMode } from './helpers/db';
import { signedIn } from './helpers/factories';
import { mainOf } from './helpers/news';
import { runTs } from './helpers/processes';

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
});

const guide = fs.readFileSync(GUIDE_FILE, 'utf8');
const DEPLOY = path.join(ROOT, 'deploy');
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('the operator\'s guide', () => {
  it('is linked at the top of the README, which says how to stop the server and where the admin logs in', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').slice(0, 6).join('\n')).toContain('(docs/运维指南.md)');
    expect(readme).toMatch(/Ctrl\+C/);
    expect(readme).toContain('`/login`');
    expect(readme).toContain('`/admin`');
  });

  it('shows each file of deploy/ exactly as it is, and its table of contents reaches every section', () => {
    for (const name of ['laowu.service', 'laowu-backup.service', 'laowu-backup.timer', 'nginx-laowu.conf']) {
      const file = fs.readFileSync(path.join(DEPLOY, name), 'utf8');
      expect([name, guide.includes(`\n${file}\`\`\``)]).toEqual([name, true]);
    }
    const anchors = new Set([...guide.matchAll(/^#{2,3} (.+)$/gm)].map((m) => headingAnchor(m[1]!)));
    const links = [...guide.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect([link, anchors.has(link)]).toEqual([link, true]);
  });

  (has('systemd-analyze') ? it : it.skip)('its systemd units pass systemd-analyze verify (paths under /srv/laowu read as this folder)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-units-'));
    const units = ['laowu.service', 'laowu-backup.service', 'laowu-backup.timer'];
    for (const name of units) fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(DEPLOY, name), 'utf8').replaceAll('/srv/laowu', ROOT));
    const result = spawnSync('systemd-analyze', ['verify', ...units], { cwd: dir, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
    // The check is real: a unit with a command that does not exist fails it.
    fs.writeFileSync(path.join(dir, 'broken.service'), '[Service]\nExecStart=/no/such/program\n');
    expect(spawnSync('systemd-analyze', ['verify', 'broken.service'], { cwd: dir }).status).not.toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  (has('nginx') ? it : it.skip)('its nginx site passes nginx -t', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-nginx-'));
    const main = (site: string) =>
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n  include ${site};\n}\n`;
    fs.writeFileSync(path.join(dir, 'nginx.conf'), main(path.join(DEPLOY, 'nginx-laowu.conf')));
    const result = spawnSync('nginx', ['-t', '-c', path.join(dir, 'nginx.conf'), '-p', dir], { encoding: 'utf8' });
    expect(result.stderr).toContain('test is successful');
    expect(result.status).toBe(0);
    fs.writeFileSync(path.join(dir, 'bad.conf'), 'server { listen 80; proxy_pass; }\n');
    fs.writeFileSync(path.join(dir, 'nginx.conf'), main(path.join(dir, 'bad.conf')));
    expect(spawnSync('nginx', ['-t', '-c', path.join(dir, 'nginx.conf'), '-p', dir]).status).not.toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('its 使用帮助 page in the back office is the guide, linked from the footer of admins\' pages', async () => {
    const t = await createTestApp();
    try {
      const admin = (await signedIn(t, 'admin')).client;
      const home = await admin.get('/admin');
      expect(home.text).toContain('<a class="help-link" href="/admin/help">使用帮助</a>');
      const page = mainOf((await admin.get('/admin/help')).text);
      expect(page).toContain('<h1 id="运维指南安装设置备份和升级">运维指南:安装、设置、备份和升级</h1>');
      // Markdown writes the link percent-encoded; the browser reads it as the heading's id.
      expect(page).toContain(`<a href="#${encodeURI('备份和恢复')}">备份和恢复</a>`);
      expect(page).toContain('<h2 id="备份和恢复">备份和恢复</h2>');
      expect(page).toContain('systemctl stop laowu');
      const seeker = (await signedIn(t, 'seeker')).client;
      expect((await seeker.get('/admin/help')).status).toBe(403);
      expect((await seeker.get('/')).text).not.toContain('/admin/help');
    } finally {
      await t.close();
    }
  });
});

// The backup the timer runs, and the restore the guide gives, on the embedded database (server mode: backup.test.ts).
(isServerMode() ? describe.skip : describe)('the guide\'s backup and restore commands', () => {
  it('deploy/backup.sh writes a dated backup and keeps 14 days; npm run db:restore -- <file> --force brings it back', async () => {
    const source = tempDir();
    const env = { ...process.env, DATA_DIR: source, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_OPTIONS: '' };
    const { ctx } = await boot(parseConfig({ DATA_DIR: source, SEED_DEMO: 'false' }), createLogger('silent'), { seed: false });
    await createUser(ctx.db, { login: '13912340000', password: 'backup-pass-1', role: 'seeker', displayName: '备份测试', consented: true });
    await ctx.dbHandle.close();

    const dest = tempDir();
    const old = path.join(dest, 'laowu-2000-01-01-0330.tar.gz');
    const recent = path.join(dest, 'laowu-2000-01-02-0330.tar.gz');
    fs.writeFileSync(old, 'old');
    fs.writeFileSync(recent, 'recent');
    fs.utimesSync(old, new Date(Date.now() - 20 * 86_400_000), new Date(Date.now() - 20 * 86_400_000));
    fs.utimesSync(recent, new Date(Date.now() - 3 * 86_400_000), new Date(Date.now() - 3 * 86_400_000));
    const out = execFileSync(path.join(DEPLOY, 'backup.sh'), [dest], {
      cwd: ROOT,
      env: { ...env, APP_USER: 'no-such-user-here', SERVICE: 'no-such-service.service', BACKUP_COMMAND: `${process.execPath} -r @swc-node/register src/cli/backup.ts` },
      encoding: 'utf8',
    });
    expect(out).toMatch(/备份已保存: .*laowu-\d{4}-\d{2}-\d{2}-\d{4}\.tar\.gz/);
    const made = fs.readdirSync(dest).filter((f) => !f.startsWith('laowu-2000'));
    expect(made).toHaveLength(1);
    expect(fs.existsSync(old)).toBe(false); // past 14 days
    expect(fs.existsSync(recent)).toBe(true);

    const target = tempDir();
    fs.writeFileSync(path.join(target, 'placeholder'), 'x'); // not empty: --force is what the guide says to use
    const restore = runTs('src/cli/restore.ts', [path.join(dest, made[0]!), '--force'], { DATA_DIR: target, DATABASE_URL: '', LOG_LEVEL: 'warn' });
    expect(await restore.exited).toBe(0);
    expect(restore.output()).toContain('恢复完成');
    const restored = await boot(parseConfig({ DATA_DIR: target, SEED_DEMO: 'false' }), createLogger('silent'), { seed: false });
    try {
      const [user] = await restored.ctx.db.select().from(users).where(eq(users.login, '13912340000'));
      expect(user?.displayName).toBe('备份测试');
    } finally {
      await restored.ctx.dbHandle.close();
      for (const dir of [source, dest, target]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
