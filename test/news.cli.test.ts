// The news:import command: run as a real child process against a fresh embedded (PGlite) data dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, like } from 'drizzle-orm';
import { openDb, type DbHandle } from '../src/db/client';
import { articles, auditLog } from '../src/db/schema';
import { PROJECT_ROOT } from '../src/paths';

jest.setTimeout(120_000);

const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'news-import.ts');
let dir: string;
let dataDir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-cli-'));
  dataDir = path.join(dir, 'data');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the command with its own environment: always the embedded database in `dataDir`, never a server. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', SEED_DEMO: 'false', NODE_ENV: 'test' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const rss = (items: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>深圳晚报</title><link>https://szwb.example.com/</link><description>d</description>${items}</channel></rss>`;
const item = (n: number, extra = '') =>
  `<item><title>命令行导入第${n}篇</title><link>https://szwb.example.com/a/${n}</link><pubDate>Mon, 0${n} Jan 2024 10:00:00 +0800</pubDate><description>&lt;p&gt;正文${n}&lt;/p&gt;</description>${extra}</item>`;

/** Opens the data dir the command wrote, as the server would (after the command has released it). */
async function withDb<T>(use: (h: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openDb({ dataDir });
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

describe('usage errors exit 2, before anything is opened', () => {
  it.each([[[]], [['--bogus', 'a.xml']], [['a.xml', 'b.xml']], [['--author', '', 'a.xml']]])('news:import %j', async (args) => {
    const res = await run(args as string[]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('用法: npm run news:import');
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});

describe('files that cannot be imported exit 1 and import nothing', () => {
  it('a missing file', async () => {
    const res = await run([path.join(dir, 'nope.xml')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('无法读取文件');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it.each([
    ['bad.json', '[{"title": "半截"', 'JSON 格式错误'],
    ['object.json', '{"title": "x"}', 'JSON 文件必须是文章数组'],
    ['bad.xml', '<rss><channel><item></channel></rss>', 'XML 格式错误'],
    ['page.html', '<html><body></body></html>', '不支持的 XML 根元素 <html>'],
    ['text.txt', '标题,正文', '无法识别的文件格式'],
  ])('%s', async (name, content, message) => {
    const res = await run([write(name, content)]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('没有导入任何文章');
    expect(fs.existsSync(dataDir)).toBe(false); // the database was never opened
  });
});

describe('importing into the embedded database', () => {
  const feed = () => write('feed.xml', rss(item(1) + item(2) + '<item><title>缺链接</title><pubDate>Mon, 01 Jan 2024 10:00:00 +0800</pubDate><description>x</description></item>'));

  it('checks without writing on --dry-run', async () => {
    const res = await run(['--dry-run', feed()]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('试运行(未写入):可导入 2 篇,跳过 0 篇,拒绝 1 篇(文件共 3 条)');
    const count = await withDb((h) => h.db.$count(articles));
    expect(count).toBe(0);
  });

  it('imports, reports on stdout, shows progress lines on stderr when not a terminal, exits 0 and closes the database', async () => {
    const res = await run(['--author', '编辑部', feed()]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('新增 2 篇,跳过 0 篇,拒绝 1 篇(文件共 3 条)');
    expect(res.stdout).toContain('第 3 条《缺链接》:缺少来源网址 (sourceUrl)');
    expect(res.stderr).toContain('导入进度 2/2');
    expect(res.stderr).not.toContain('\r');
    expect(fs.existsSync(path.join(dataDir, 'app.lock'))).toBe(false);
    await withDb(async (h) => {
      const rows = await h.db.select().from(articles).where(like(articles.sourceUrl, 'https://szwb.example.com/%'));
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.status === 'published' && r.author === '编辑部' && r.sourceName === '深圳晚报')).toBe(true);
      const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'news.import'));
      expect(audit).toMatchObject({ actorId: null, after: { added: 2, refused: 1 } });
      expect(audit!.actorLogin).toMatch(/^cli:/);
    });
  });

  it('skips what is already there when run again', async () => {
    const res = await run([write('more.xml', rss(item(1) + item(3)))]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('新增 1 篇,跳过 1 篇,拒绝 0 篇');
    expect(res.stdout).toMatch(/第 1 条《命令行导入第1篇》:该来源已导入过\(文章 #\d+\)/);
  });

  it('refuses an unknown --as admin with exit 2', async () => {
    const res = await run(['--as', '13800000000', feed()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('找不到管理员账号 13800000000');
  });

  it('exits 1 with the clear lock message while another process holds the data dir', async () => {
    const holder = await openDb({ dataDir });
    try {
      const res = await run([feed()]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('正被另一个进程');
    } finally {
      await holder.close();
    }
  });
});
