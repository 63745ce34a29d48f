// One source for each fact: the hotline and the contact e-mail are settings, and every page that shows them reads
// the setting in force. Texts typed by admins name them with placeholders ({客服热线}); spelling one out is refused.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { articles, siteSettings } from '../src/db/schema';
import { MIGRATIONS_DIR } from '../src/paths';
import { createTestApp, type TestApp } from './helpers/app';
import { settingsForm } from './helpers/admin';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { fieldError } from './helpers/html';
import { mainOf } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let articleId: number;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  admin = (await signedIn(t, 'admin')).client;
  // The seed's republished article (珠海特区报): its page carries the takedown disclaimer.
  const [row] = await t.ctx.db.select({ id: articles.id }).from(articles).where(and(isNotNull(articles.sourceName), eq(articles.status, 'published'))).limit(1);
  articleId = row!.id;
});
afterAll(() => t.close());

const save = async (section: string, changes: Record<string, string>) => admin.post(`/admin/settings/${section}`, { ...(await settingsForm(admin, section)), ...changes });

/** Every page that shows the hotline: the frame (header, footer, call bar) of each, and in their text the pages below. */
const PAGES_WITH_THE_HOTLINE = ['/', '/jobs', '/about', '/join', '/privacy', '/terms', '/k/laowu-paiqian', '/no-such-page'];

describe('the hotline is one setting', () => {
  it('after a change, every page shows the new number, as tel: links, and none shows the old one anywhere', async () => {
    const before = (await t.ctx.settings.get()).hotline;
    expect(before).toBe('0755-8882 8155');
    const res = await save('basic', { hotline: '0755-2666 0000' });
    expect(res.status).toBe(303);

    const visitor = t.client();
    for (const path of [...PAGES_WITH_THE_HOTLINE, `/news/${articleId}`]) {
      const page = await visitor.get(path);
      expect([path, page.status]).toEqual([path, path === '/no-such-page' ? 404 : 200]);
      // Header, call bar and footer.
      expect([path, page.text]).toEqual([path, expect.stringMatching(/<a class="hotline" href="tel:075526660000">/)]);
      expect([path, page.text]).toEqual([path, expect.stringContaining('<a class="call-bar" href="tel:075526660000"')]);
      // The old number in no form: as typed, as digits, or in a tel: link.
      for (const old of ['0755-8882 8155', '88828155', '075588828155']) expect([path, page.text.includes(old)]).toEqual([path, false]);
    }

    // In the text of the pages themselves, not only their frame.
    const inMain = async (path: string) => mainOf((await visitor.get(path)).text);
    expect(await inMain(`/news/${articleId}`)).toMatch(/<aside class="article-disclaimer"[\s\S]*<a href="tel:075526660000">0755-2666 0000<\/a>/);
    expect(await inMain('/privacy')).toContain('<a href="tel:075526660000">0755-2666 0000</a>');
    expect(await inMain('/terms')).toContain('<a href="tel:075526660000">0755-2666 0000</a>');
    expect(await inMain('/join')).toContain('欢迎致电客服热线 <a href="tel:075526660000">0755-2666 0000</a>');
    expect(await inMain('/about')).toContain('<a class="contact-phone" href="tel:075526660000">0755-2666 0000</a>');
  });

  it('the contact e-mail too: the disclaimer, the privacy policy and the user agreement follow it', async () => {
    expect((await save('basic', { contactEmail: 'kefu@pengcheng.example.cn' })).status).toBe(303);
    const visitor = t.client();
    for (const path of [`/news/${articleId}`, '/privacy', '/terms']) {
      const main = mainOf((await visitor.get(path)).text);
      expect([path, main]).toEqual([path, expect.stringContaining('<a href="mailto:kefu@pengcheng.example.cn">kefu@pengcheng.example.cn</a>')]);
      expect([path, main.includes('service@example.com')]).toEqual([path, false]);
    }
  });

  it('a text that spells the number out is refused beside its field, typed text kept; the placeholder is filled in', async () => {
    const hotline = (await t.ctx.settings.get()).hotline; // 0755-2666 0000
    const spelled = '欢迎来电:0755 2666-0000,我们等你。';
    const refused = await save('pages', { joinContent: spelled });
    expect(refused.status).toBe(422);
    expect(fieldError(refused.text, 'joinContent')).toContain('{客服热线}');
    expect(refused.text).toContain(spelled);
    expect((await t.ctx.settings.get()).joinContent).not.toContain('2666');

    // The same in a keyword page's intro, and the e-mail address in the takedown note.
    const keyword = await save('keywords', { kw_1_text: `咨询电话 ${hotline}` });
    expect(keyword.status).toBe(422);
    expect(fieldError(keyword.text, 'kw_1_text')).toContain('{客服热线}');
    const takedown = await save('basic', { takedownContact: '请发邮件至 KEFU@pengcheng.example.cn 联系删除' });
    expect(takedown.status).toBe(422);
    expect(fieldError(takedown.text, 'takedownContact')).toContain('{客服邮箱}');

    expect((await save('pages', { joinContent: '欢迎来电 {客服热线},或写信到 {客服邮箱}。{公司名称}' })).status).toBe(303);
    const join = mainOf((await t.client().get('/join')).text);
    const s = await t.ctx.settings.get();
    expect(join).toContain(
      `欢迎来电 <a href="tel:075526660000">0755-2666 0000</a>,或写信到 <a href="mailto:kefu@pengcheng.example.cn">kefu@pengcheng.example.cn</a>。${s.companyName}`,
    );
  });
});

describe('an install from before this change', () => {
  it('has its stored texts rewritten by the migration to name the hotline and e-mail instead of spelling them out', async () => {
    const app = await createTestApp();
    try {
      const old = {
        hotline: '0755-8882 8155',
        takedownContact: '如有侵权,请致电 0755-8882 8155 或发邮件至 service@example.com,我们将在 3 个工作日内删除。',
        joinContent: '欢迎致电客服热线 0755-8882 8155,或把简历发送至 hr@example.com。',
        aboutContent: '关于我们的介绍,没有电话。',
      };
      for (const [key, value] of Object.entries(old)) {
        await app.ctx.db.insert(siteSettings).values({ key, value }).onConflictDoUpdate({ target: siteSettings.key, set: { value } });
      }
      const migration = fs.readFileSync(path.join(MIGRATIONS_DIR, '0007_operator_news_images.sql'), 'utf8');
      for (const statement of migration.split('--> statement-breakpoint').filter((s) => /^\s*(--[^\n]*\n\s*)*UPDATE/.test(s))) {
        await app.ctx.db.execute(sql.raw(statement));
      }
      app.ctx.settings.invalidate();
      const s = await app.ctx.settings.get();
      expect(s.takedownContact).toBe('如有侵权,请致电 {客服热线} 或发邮件至 {客服邮箱},我们将在 3 个工作日内删除。');
      expect(s.joinContent).toBe('欢迎致电客服热线 {客服热线},或把简历发送至 hr@example.com。');
      expect(s.aboutContent).toBe(old.aboutContent);
      expect(s.hotline).toBe(old.hotline);
    } finally {
      await app.close();
    }
  });
});

describe('other facts of the settings', () => {
  it('the site name gives the logo its character and the login page its description', async () => {
    expect((await save('basic', { siteName: '前海用工网' })).status).toBe(303);
    const login = await t.client().get('/login');
    expect(login.text).toContain('<span class="logo-mark" aria-hidden="true">前</span>');
    expect(login.text).toContain('<meta name="description" content="登录前海用工网">');
    expect(login.text).not.toContain('鹏城劳务派遣网');
  });
});
