// The foundation: config validation, health, error pages, CSRF, the demo seed and the frame.
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app';
import { ConfigError, parseConfig } from '../src/config';
import { DEFAULT_LIMITS } from '../src/context';
import { openDb } from '../src/db/client';
import { articles, siteSettings, users } from '../src/db/schema';
import { seedDemoData } from '../src/db/seed';
import { createTestApp, type TestApp } from './helpers/app';
import { makeUser } from './helpers/factories';

describe('config', () => {
  it('names the setting when a value is invalid', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseConfig({ ADMIN_LOGIN: '13800000000' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('requires a session secret in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(parseConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).isProduction).toBe(true);
  });

  it('has working defaults', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.uploadDir.startsWith(config.dataDir)).toBe(true);
  });

  it('keeps the production rate limits unless RATE_LIMIT_* sets one (the benchmark raises them)', () => {
    // config.limits holds only what the environment sets; bootstrap lays it over DEFAULT_LIMITS.
    expect({ ...DEFAULT_LIMITS, ...parseConfig({}).limits }).toEqual(DEFAULT_LIMITS);
    const raised = parseConfig({ RATE_LIMIT_APPLY_PER_USER: '100000', RATE_LIMIT_LOGIN_PER_IP: '5000' }).limits;
    expect({ ...DEFAULT_LIMITS, ...raised }).toEqual({ ...DEFAULT_LIMITS, applyPerUser: 100000, loginPerIp: 5000 });
    expect(() => parseConfig({ RATE_LIMIT_APPLY_PER_IP: '0' })).toThrow(/RATE_LIMIT_APPLY_PER_IP/);
  });

  it('reports only one line', () => {
    try {
      parseConfig({ PORT: '-1' });
    } catch (err) {
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });
});

describe('the frame and health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it('serves the home page with the hotline as a tel: link and the six footer links', async () => {
    const res = await t.client().get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).toMatch(/<a class="hotline" href="tel:075588828155">.*0755-8882 8155/s);
    for (const [label, href] of [
      ['关于我们', '/about'],
      ['加入我们', '/join'],
      ['人力资讯TOP500', '/news/top'],
      ['网站地图', '/sitemap'],
      ['临时工招聘信息', '/linshigong'],
      ['兼职招聘信息', '/jianzhi'],
    ]) {
      expect(res.text).toContain(`<a href="${href}">${label}</a>`);
    }
    for (const keyword of ['劳务派遣', '深圳劳务派遣公司', '劳务派遣公司', '深圳临时工派遣公司', '深圳临时工派遣中介']) {
      expect(res.text).toMatch(new RegExp(`<a href="/k/[a-z-]+">${keyword}</a>`));
    }
  });

  it('sets the security headers and no session cookie for an anonymous reader', async () => {
    const res = await t.client().get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers /healthz with ok', async () => {
    const res = await t.client().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok' });
  });

  it('shows a Chinese 404 page for unknown paths', async () => {
    const res = await t.client().get('/no-such-page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('页面不存在');
    expect(res.text).toContain('0755-8882 8155'); // inside the normal frame
  });

  it('serves assets with a long cache when versioned', async () => {
    const home = await t.client().get('/');
    const css = /href="(\/css\/site\.css\?v=[0-9a-f]+)"/.exec(home.text)![1]!;
    const res = await t.client().get(css);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });
});

describe('when the database does not answer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers /healthz with 503 and pages with a friendly 503, quickly', async () => {
    // A server-mode handle pointing at a closed port: every query fails to connect.
    const dead = await openDb({ databaseUrl: 'postgres://nobody@127.0.0.1:9/none', connectTimeoutMs: 500 });
    const app = createApp({ ...t.ctx, db: dead.db, dbHandle: dead });
    const started = Date.now();
    const health = await t.client().agent.get('/healthz').ok(() => true);
    const { default: request } = await import('supertest');
    const health2 = await request(app).get('/healthz');
    expect(health2.status).toBe(503);
    expect(health2.body.db).not.toBe('ok');
    const page = await request(app).get('/');
    expect(page.status).toBe(503);
    expect(page.text).toContain('数据库暂时无法连接');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(health.status).toBe(200); // the healthy app is unaffected
    await dead.close();
  });
});

describe('500 page', () => {
  it('shows a request id that is also in the log', async () => {
    const lines: string[] = [];
    const t = await createTestApp({ logStream: { write: (l: string) => void lines.push(l) } });
    try {
      // A real fault: a table the home page reads from is gone.
      await t.ctx.db.execute(sql`alter table articles rename to articles_gone`);
      const res = await t.client().get('/');
      expect(res.status).toBe(500);
      const id = /请求编号:<code>([0-9a-f-]{36})<\/code>/.exec(res.text)?.[1];
      expect(id).toBeDefined();
      expect(res.text).not.toContain('articles_gone'); // no internals leak
      expect(lines.some((l) => l.includes(id!) && l.includes('"level":50'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('CSRF', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a POST without a token with a Chinese 403, and changes nothing', async () => {
    const client = t.client();
    await client.get('/signup');
    const form = { role: 'seeker', login: '13900000001', password: 'abcdefgh1', passwordConfirm: 'abcdefgh1', displayName: '张三', consent: 'yes' };
    const res = await client.agent.post('/signup').type('form').send(form);
    expect(res.status).toBe(403);
    expect(res.text).toContain('页面已过期');
    expect(await t.ctx.db.$count(users)).toBe(0);
  });

  it('refuses a wrong token and a token from another session', async () => {
    const a = t.client();
    const b = t.client();
    await a.refreshCsrf();
    await b.refreshCsrf();
    const wrong = await a.agent.post('/signup').type('form').send({ _csrf: 'forged', role: 'seeker' });
    expect(wrong.status).toBe(403);
    const crossed = await a.agent.post('/signup').type('form').send({ _csrf: b.csrf, role: 'seeker' });
    expect(crossed.status).toBe(403);
  });

  it('refuses a multipart POST without the token in the URL', async () => {
    const client = t.client();
    await client.refreshCsrf();
    const res = await client.agent.post('/signup').field('_csrf', client.csrf!).field('role', 'seeker');
    expect(res.status).toBe(403);
  });
});

describe('demo seed', () => {
  it('fills an empty database once, and never again', async () => {
    const t = await createTestApp({ seed: true });
    try {
      const count = await t.ctx.db.$count(articles);
      expect(count).toBe(101);
      const settingsRows = await t.ctx.db.$count(siteSettings);
      expect(settingsRows).toBeGreaterThan(10);
      const again = await seedDemoData(t.ctx.db, t.ctx.settings);
      expect(again.seeded).toBe(false);
      expect(await t.ctx.db.$count(articles)).toBe(101);
      const [sample] = await t.ctx.db.select().from(articles).where(sql`${articles.sourceName} = '珠海特区报'`);
      expect(sample?.title).toBe('彰显主城区责任担当香洲区节前实施首批民生微实事项目');
      expect(sample?.author).toBe('Admin\u00a0- admin'); // the original's no-break space, kept exactly
    } finally {
      await t.close();
    }
  });

  it('does not touch a database that has data', async () => {
    const t = await createTestApp();
    try {
      await makeUser(t.ctx, 'seeker');
      const report = await seedDemoData(t.ctx.db, t.ctx.settings);
      expect(report).toMatchObject({ seeded: false });
      expect(await t.ctx.db.$count(articles)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
