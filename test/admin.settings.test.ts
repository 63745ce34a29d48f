// Admins and site settings: each section's form, what a change does to the public pages on the next load,
// what is refused (with the error beside the field and everything typed kept), escaping, and the audit entry.
import { auditLog } from '../src/db/schema';
import { DEFAULT_FEE_WORDS, KEYWORD_PAGES_MAX } from '../src/features/site/settings.schema';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries, flashes, follow, settingsForm } from './helpers/admin';
import type { TestClient } from './helpers/client';
import { signedIn } from './helpers/factories';
import { fieldError, inputValue } from './helpers/html';
import { jobForm, signedInEmployer } from './helpers/jobs';
import { mainOf } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let adminId: number;

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  const a = await signedIn(t, 'admin');
  admin = a.client;
  adminId = a.user.id;
});
afterAll(() => t.close());

const formOf = (section: string) => settingsForm(admin, section);

async function save(section: string, changes: Record<string, string>) {
  return admin.post(`/admin/settings/${section}`, { ...(await formOf(section)), ...changes });
}

const auditCount = () => t.ctx.db.$count(auditLog);

describe('the settings pages', () => {
  it('shows each section as its own form, with the admin navigation and breadcrumbs', async () => {
    for (const [section, field] of [
      ['basic', 'hotline'],
      ['pages', 'aboutContent'],
      ['footer', 'link_0_href'],
      ['keywords', 'kw_0_slug'],
      ['words', 'feeWords'],
    ]) {
      const res = await admin.get(`/admin/settings?section=${section}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`action="/admin/settings/${section}"`);
      expect(res.text).toContain(`name="${field}"`);
      expect(res.text).toContain(`<a href="/admin/settings?section=${section}" aria-current="page">`);
      expect(res.text).toContain('<a href="/admin/settings" aria-current="page">设置</a>');
      expect(res.text).toMatch(/<li><a href="\/admin">后台<\/a><\/li>\s*<li><a href="\/admin\/settings">网站设置<\/a><\/li>/);
    }
    // The footer form has the links plus three empty rows; the keywords form two empty groups.
    const footer = await formOf('footer');
    expect(footer.rows).toBe('9');
    expect(footer.link_5_label).toBe('兼职招聘信息');
    expect(footer.link_6_label).toBe('');
    expect((await formOf('keywords')).rows).toBe('7');
    // A section it does not know is the first one; a POST to one is 404.
    expect((await admin.get('/admin/settings?section=%3Cx%3E')).text).toContain('action="/admin/settings/basic"');
    expect((await admin.post('/admin/settings/nope', {})).status).toBe(404);
  });
});

describe('a change shows on the next page load', () => {
  it('the hotline: in the header as a tel: link, in the footer and in the call bar; audited with before/after', async () => {
    const res = await save('basic', { hotline: '0755-2345 6789' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/settings?section=basic');
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'success', text: '已保存:客服热线。前台页面已更新。' }]);

    const home = await t.client().get('/');
    expect(home.text).toMatch(/<a class="hotline" href="tel:075523456789">.*0755-2345 6789/s);
    expect(home.text).toContain('<a class="call-bar" href="tel:075523456789"');
    expect(home.text).not.toContain('0755-8882 8155');

    const [entry] = await auditEntries(t.ctx, 'settings.update');
    expect(entry).toMatchObject({ actorId: adminId, targetType: 'settings', targetId: 'hotline', before: { hotline: '0755-8882 8155' }, after: { hotline: '0755-2345 6789' } });
  });

  it('footer links: edited, added in an empty row, removed with 删除 or by emptying the row, in the order shown', async () => {
    const res = await save('footer', {
      link_0_label: '公司简介',
      link_1_delete: 'yes',
      link_2_label: '',
      link_2_href: '',
      link_6_label: '合作伙伴',
      link_6_href: 'https://partner.example.com/a?b=1&c=2',
    });
    expect(res.status).toBe(303);
    const home = (await t.client().get('/')).text;
    const footer = /<ul class="footer-links">[\s\S]*?<\/ul>/.exec(home)![0];
    expect([...footer.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['/about', '公司简介'],
      ['/sitemap', '网站地图'],
      ['/linshigong', '临时工招聘信息'],
      ['/jianzhi', '兼职招聘信息'],
      ['https://partner.example.com/a?b=1&amp;c=2', '合作伙伴'],
    ]);
    // The form now shows the four links kept plus three empty rows.
    expect((await formOf('footer')).rows).toBe('8');
  });

  it('about and join-us text: paragraphs on /about and /join', async () => {
    await save('pages', { aboutContent: '第一段:我们是谁。\n\n第二段:我们做什么。\n第二段的第二行。', joinContent: '我们在招聘驻厂管理。' });
    const about = mainOf((await t.client().get('/about')).text);
    expect(about).toContain('<p class="prose">第一段:我们是谁。</p>');
    expect(about).toContain('<p class="prose">第二段:我们做什么。\n第二段的第二行。</p>');
    expect(mainOf((await t.client().get('/join')).text)).toContain('<p class="prose">我们在招聘驻厂管理。</p>');
  });

  it('a keyword page: its title, text and filter change, and a new one gets its own page and footer link', async () => {
    const form = await formOf('keywords');
    const res = await admin.post('/admin/settings/keywords', {
      ...form,
      kw_0_title: '劳务派遣工作大全',
      kw_0_text: '新的介绍文字。',
      kw_5_label: '龙华普工',
      kw_5_slug: 'Longhua-Pugong',
      kw_5_title: '龙华区普工招聘',
      kw_5_text: '龙华区的普工岗位。',
      kw_5_q: '普工',
      kw_5_district: '龙华区',
    });
    expect(res.status).toBe(303);
    const page = await t.client().get('/k/laowu-paiqian');
    expect(page.text).toContain('<title>劳务派遣工作大全 - ');
    expect(page.text).toContain('<h1 id="kw-title">劳务派遣工作大全</h1>');
    expect(page.text).toContain('新的介绍文字。');
    // The slug was typed in capitals: stored lower-case.
    const added = await t.client().get('/k/longhua-pugong');
    expect(added.status).toBe(200);
    expect(added.text).toContain('<h1 id="kw-title">龙华区普工招聘</h1>');
    expect(added.text).toContain('href="/jobs?q=%E6%99%AE%E5%B7%A5&amp;district=%E9%BE%99%E5%8D%8E%E5%8C%BA"');
    expect(added.text).toContain('<a href="/k/longhua-pugong">龙华普工</a>');
  });

  it('takes up to 15 keyword pages through the form (within the 200 fields a form may post), and refuses a 16th', async () => {
    const form = await formOf('keywords');
    const rows = Number(form.rows);
    const filled: Record<string, string> = { ...form };
    for (let i = 0; i < KEYWORD_PAGES_MAX; i++) {
      if (filled[`kw_${i}_slug`]) continue;
      Object.assign(filled, { [`kw_${i}_label`]: `词${i}`, [`kw_${i}_slug`]: `word-${i}`, [`kw_${i}_title`]: `标题${i}`, [`kw_${i}_text`]: '', [`kw_${i}_q`]: `词${i}`, [`kw_${i}_type`]: '', [`kw_${i}_district`]: '', [`kw_${i}_settlement`]: '' });
    }
    filled.rows = String(KEYWORD_PAGES_MAX);
    expect(rows).toBeLessThan(KEYWORD_PAGES_MAX);
    expect((await admin.post('/admin/settings/keywords', filled)).status).toBe(303);
    const full = await formOf('keywords');
    expect(full.rows).toBe(String(KEYWORD_PAGES_MAX + 2));
    expect(Object.keys(full).length).toBeLessThan(200);
    const tooMany = await admin.post('/admin/settings/keywords', { ...full, kw_15_label: '第16个', kw_15_slug: 'word-16', kw_15_title: '第16个标题', kw_15_q: '第16个' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain('关键词页面最多 15 项');
    // Back to the pages the other tests expect.
    const trimmed: Record<string, string> = { ...full };
    for (let i = rows - 2; i < KEYWORD_PAGES_MAX + 2; i++) trimmed[`kw_${i}_delete`] = 'yes';
    expect((await admin.post('/admin/settings/keywords', trimmed)).status).toBe(303);
    expect((await formOf('keywords')).rows).toBe(form.rows);
  });

  it('word lists: one per line or separated by commas and 、, duplicates dropped; job posting uses them at once', async () => {
    const res = await save('words', { feeWords: `${DEFAULT_FEE_WORDS.join('\n')}\n茶水费, 押金、工牌费\n` });
    expect(res.status).toBe(303);
    const s = await t.ctx.settings.get();
    expect(s.feeWords).toEqual([...DEFAULT_FEE_WORDS, '茶水费', '工牌费']);
    const [entry] = await auditEntries(t.ctx, 'settings.update');
    expect(entry).toMatchObject({ targetId: 'feeWords', before: { feeWords: DEFAULT_FEE_WORDS } });

    const { client } = await signedInEmployer(t);
    const post = await client.post('/employer/jobs/new', jobForm(t.ctx, { description: '流水线包装工作,入职收取茶水费五十元。' }));
    expect(post.status).toBe(422);
    expect(fieldError(post.text, 'description')).toContain('茶水费');
  });

  it('saving a form unchanged writes nothing and says so', async () => {
    const before = await auditCount();
    const res = await save('basic', {});
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'info', text: '内容没有变化,无需保存' }]);
    expect(await auditCount()).toBe(before);
  });
});

describe('what is refused: 422, the error beside the field, everything typed kept, nothing changed', () => {
  async function refused(section: string, changes: Record<string, string>) {
    const settingsBefore = JSON.stringify(await t.ctx.settings.get());
    const auditBefore = await auditCount();
    const res = await save(section, changes);
    expect(res.status).toBe(422);
    expect(res.text).toContain('<div class="form-errors" role="alert">');
    expect(JSON.stringify(await t.ctx.settings.get())).toBe(settingsBefore);
    expect(await auditCount()).toBe(auditBefore);
    return res.text;
  }

  it('an empty hotline, or one that is not a phone number', async () => {
    let html = await refused('basic', { hotline: '', siteName: '改了但不该保存的站名' });
    expect(fieldError(html, 'hotline')).toBe('客服热线不能为空');
    expect(inputValue(html, 'siteName')).toBe('改了但不该保存的站名');
    html = await refused('basic', { hotline: '请拨打客服' });
    expect(fieldError(html, 'hotline')).toContain('客服热线只能包含数字');
    expect(inputValue(html, 'hotline')).toBe('请拨打客服');
  });

  it('a footer link to javascript:, to http:// without a host, to //other-site or /\\other-site', async () => {
    for (const href of ['javascript:alert(1)', 'http://', 'https://.', '//evil.example.com', '/\\evil.example.com', 'ftp://files.example.com', '/a b']) {
      const html = await refused('footer', { link_7_label: '坏链接', link_7_href: href });
      expect(fieldError(html, 'link_7_href')).toContain('链接必须是站内路径');
      expect(inputValue(html, 'link_7_label')).toBe('坏链接');
      expect(fieldError(html, 'link_0_href')).toBeUndefined();
    }
    const html = await refused('footer', { link_7_label: '', link_7_href: '/about' });
    expect(fieldError(html, 'link_7_label')).toBe('链接文字不能为空');
  });

  it('a bad slug, a slug or title used twice, a district that is not in Shenzhen', async () => {
    let html = await refused('keywords', { kw_1_slug: '深圳 派遣' });
    expect(fieldError(html, 'kw_1_slug')).toContain('网址标识只能包含小写字母');
    expect(inputValue(html, 'kw_1_slug')).toBe('深圳 派遣');

    const form = await formOf('keywords');
    html = await refused('keywords', { kw_3_slug: form.kw_0_slug! });
    expect(fieldError(html, 'kw_3_slug')).toBe('网址标识重复:每个关键词页面的网址标识必须不同');
    expect(fieldError(html, 'kw_0_slug')).toBeUndefined();

    html = await refused('keywords', { kw_2_title: form.kw_1_title! });
    expect(fieldError(html, 'kw_2_title')).toBe('标题重复:每个关键词页面的标题必须不同');

    html = await refused('keywords', { kw_1_district: '朝阳区' });
    expect(fieldError(html, 'kw_1_district')).toBe('请选择深圳的一个区');

    // An error in a group added after an emptied one is still shown beside its own fields.
    html = await refused('keywords', { kw_1_delete: 'yes', kw_6_label: '新词', kw_6_slug: 'bad slug', kw_6_title: '新标题' });
    expect(fieldError(html, 'kw_6_slug')).toContain('网址标识只能包含小写字母');
  });

  it('a word longer than 20 characters is named in the error', async () => {
    const html = await refused('words', { discriminationWords: '限男性\n这是一个超过二十个字的非常非常非常非常长的词语' });
    expect(fieldError(html, 'discriminationWords')).toBe('歧视词中每个词 1 到 20 个字:「这是一个超过二十个字的非常非常非常非常长的词语」');
  });

  it('a form missing its fields (not sent by the page) changes nothing', async () => {
    for (const section of ['basic', 'pages', 'footer', 'keywords', 'words']) {
      const before = JSON.stringify(await t.ctx.settings.get());
      const res = await admin.post(`/admin/settings/${section}`, {});
      expect(res.status).toBe(422);
      expect(res.text).toContain('表单不完整');
      expect(JSON.stringify(await t.ctx.settings.get())).toBe(before);
    }
  });
});

describe('what admins type is shown as text', () => {
  it('site name, hotline label, footer link, company info and about text with <script> are escaped everywhere', async () => {
    const evil = '<script>alert(1)</script>';
    expect((await save('basic', { siteName: `坏站名${evil}`.slice(0, 40), hotlineLabel: '<b>热线', companyInfo: `地址${evil}` })).status).toBe(303);
    expect((await save('footer', { link_0_label: '<img src=x>' })).status).toBe(303);
    expect((await save('pages', { aboutContent: `关于${evil}\n\n<a href="javascript:x">点我</a>` })).status).toBe(303);
    for (const path of ['/', '/about', '/jobs', '/news']) {
      const html = (await t.client().get(path)).text;
      expect(html).not.toContain('<script>alert(1)');
      expect(html).not.toContain('<img src=x>');
      expect(html).not.toContain('<b>热线');
      expect(html).toContain('坏站名&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;b&gt;热线');
    }
    const about = mainOf((await t.client().get('/about')).text);
    expect(about).toContain('<p class="prose">关于&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(about).toContain('&lt;a href=&#34;javascript:x&#34;&gt;点我&lt;/a&gt;');
    // The settings form shows it back as text, too.
    const form = await admin.get('/admin/settings?section=basic');
    expect(form.text).not.toContain('<script>alert(1)');
  });
});
