// The online resume (微简历, issue 17): sections saved one by one, every bad input refused beside its field with
// nothing changed, the completeness meter, and the photo (checked by content, re-encoded by sharp).
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { files, seekerProfiles } from '../src/db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { fieldError } from './helpers/html';
import { samples } from './helpers/resumeFixtures';
import type { TestClient } from './helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const who = { section: 'who', realName: '王小明', gender: 'male', birthYear: '1990', district: '宝安区' };
const wants = { section: 'wants', desiredTypes: ['temp'], desiredCategories: ['普工', '保安'], desiredDistricts: ['宝安区'], minPay: '200', minPayUnit: 'day', preferredSettlement: 'daily', availability: 'now' };
const experience = { section: 'experience', expCompany: ['富士康', ''], expRole: ['普工', ''], expFrom: ['2021-03', ''], expTo: ['', ''], expCurrent: '0', expDescription: ['流水线装配', ''] };
const tags = { section: 'tags', certificates: ['叉车证', '健康证'], skills: '会开铲车、懂仓库管理' };
const about = { section: 'about', intro: '能吃苦,可上夜班' };

async function profileOf(userId: number) {
  const [row] = await t.ctx.db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, userId));
  return row;
}

async function filled(): Promise<{ client: TestClient; userId: number }> {
  const { client, user } = await signedIn(t, 'seeker');
  for (const section of [who, wants, experience, tags, about]) {
    const res = await client.post('/me/resume', section);
    expect(res.status).toBe(303);
  }
  return { client, userId: user.id };
}

describe('the online resume page', () => {
  it('saves each section on its own and shows what is still missing as links', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const empty = await client.get('/me/resume');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('简历完整度 <strong>9%</strong>'); // only the verified phone
    expect(empty.text).toContain('href="/me/resume#f-realName">姓名</a>');

    expect((await client.post('/me/resume', who)).headers.location).toBe('/me/resume#sec-who');
    let row = await profileOf(user.id);
    expect(row).toMatchObject({ realName: '王小明', gender: 'male', birthYear: 1990, district: '宝安区', phone: user.phone, intro: '' });

    await client.post('/me/resume', wants);
    await client.post('/me/resume', experience);
    await client.post('/me/resume', tags);
    await client.post('/me/resume', about);
    row = await profileOf(user.id);
    expect(row).toMatchObject({
      realName: '王小明',
      desiredCategories: ['普工', '保安'],
      minPay: 200,
      minPayUnit: 'day',
      preferredSettlement: 'daily',
      availability: 'now',
      experiences: [{ company: '富士康', role: '普工', from: '2021-03', to: null, description: '流水线装配' }],
      certificates: ['叉车证', '健康证'],
      skills: ['会开铲车', '懂仓库管理'],
      intro: '能吃苦,可上夜班',
    });
    const page = await client.get('/me/resume');
    expect(page.text).toContain('简历完整度 <strong>91%</strong>');
    expect(page.text).toContain('href="/me/resume#sec-photo">照片</a>');
  });

  // Each bad input: 422, the error beside its field, what was typed in every section kept, nothing written.
  const bad: [string, Record<string, string | string[]>, string, string][] = [
    ['no name', { ...who, realName: '' }, 'realName', '请输入真实姓名'],
    ['a name too long', { ...who, realName: '王'.repeat(21) }, 'realName', '姓名不能超过 20 个字'],
    ['no gender', { ...who, gender: '' }, 'gender', '请选择性别'],
    ['an unknown gender', { ...who, gender: 'x' }, 'gender', '请选择性别'],
    ['a birth year out of range', { ...who, birthYear: '1900' }, 'birthYear', '请输入 4 位出生年份'],
    ['a birth year with letters', { ...who, birthYear: '19a0' }, 'birthYear', '请输入 4 位出生年份'],
    ['a district outside Shenzhen', { ...who, district: '朝阳区' }, 'district', '请从列表中选择现居住区'],
    ['an unknown job type', { ...wants, desiredTypes: ['boss'] }, 'desiredTypes', '请从列表中选择工作类型'],
    ['four categories', { ...wants, desiredCategories: ['普工', '保安', '保洁', '司机'] }, 'desiredCategories', '最多 3 个工种'],
    ['an unknown category', { ...wants, desiredCategories: ['黑客'] }, 'desiredCategories', '最多 3 个工种'],
    ['four districts', { ...wants, desiredDistricts: ['宝安区', '南山区', '福田区', '龙岗区'] }, 'desiredDistricts', '最多 3 个区'],
    ['pay that is not a number', { ...wants, minPay: '两百' }, 'minPay', '期望薪资请填'],
    ['pay of zero', { ...wants, minPay: '0' }, 'minPay', '期望薪资请填'],
    ['pay without its unit', { ...wants, minPayUnit: '' }, 'minPayUnit', '请选择薪资单位'],
    ['a piece-rate unit', { ...wants, minPayUnit: 'piece' }, 'minPayUnit', '请选择薪资单位'],
    ['completion settlement', { ...wants, preferredSettlement: 'completion' }, 'preferredSettlement', '请选择日结、周结或月结'],
    ['an unknown start', { ...wants, availability: 'never' }, 'availability', '请选择到岗时间'],
    ['an entry without company', { ...experience, expCompany: ['', ''] }, 'expCompany-0', '请填写公司名称'],
    ['an entry without role', { ...experience, expRole: ['', ''] }, 'expRole-0', '请填写岗位'],
    ['a month that is not one', { ...experience, expFrom: ['2021-13', ''] }, 'expFrom-0', '请填写开始年月'],
    ['a month in the future', { ...experience, expFrom: ['2999-01', ''] }, 'expFrom-0', '年月不能晚于本月'],
    ['an end before the start', { ...experience, expCurrent: [], expTo: ['2020-01', ''] }, 'expTo-0', '结束年月请填在开始之后'],
    ['no end and not 至今', { ...experience, expCurrent: [] }, 'expTo-0', '结束年月请填在开始之后'],
    ['a description too long', { ...experience, expDescription: ['字'.repeat(201), ''] }, 'expDescription-0', '工作内容不能超过 200 个字'],
    ['a certificate not on the list', { ...tags, certificates: ['博士学位'] }, 'certificates', '请从列表中选择证书'],
    ['too many free tags', { ...tags, skills: Array.from({ length: 11 }, (_, i) => `技能${i}`).join('、') }, 'skills', '自定义技能最多 10 个'],
    ['a free tag too long', { ...tags, skills: '非常非常非常非常长的一个技能名称' }, 'skills', '每个不超过 12 个字'],
    ['an intro too long', { ...about, intro: '字'.repeat(501) }, 'intro', '自我介绍不能超过 500 个字'],
  ];

  it.each(bad)('refuses %s beside the field and changes nothing', async (_label, form, field, message) => {
    const { client, userId } = await filled();
    const before = await profileOf(userId);
    // Something typed in another section comes back too.
    const res = await client.post('/me/resume', { ...form, intro: typeof form.intro === 'string' ? form.intro : '刚打的字还在' });
    expect(res.status).toBe(422);
    const shownAs = field.includes('-') ? field : field;
    if (['gender', 'desiredTypes', 'desiredCategories', 'desiredDistricts', 'preferredSettlement', 'availability', 'certificates'].includes(field)) {
      expect(res.text).toContain(message);
      expect(res.text).toMatch(/class="field has-error"/);
    } else {
      expect(fieldError(res.text, shownAs)).toContain(message);
    }
    if (form.section !== 'about') expect(res.text).toContain('刚打的字还在');
    expect(await profileOf(userId)).toEqual(before);
  });

  it('refuses a post without a section and one from another role', async () => {
    const { client } = await signedIn(t, 'seeker');
    expect((await client.post('/me/resume', { realName: '王' })).status).toBe(422);
    const { client: employer } = await signedIn(t, 'employer');
    expect((await employer.post('/me/resume', who)).status).toBe(403);
  });
});

describe('the resume photo', () => {
  it('re-encodes a PNG to a small JPEG without metadata, replaces the old one, and serves it only to its owner', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const png = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#3366aa' } }).png().toBuffer();
    const res = await client.upload('/me/resume/photo', {}, { field: 'photo', content: png, filename: 'me.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    const first = (await profileOf(user.id))!.photoFileId!;
    const photo = await client.get('/me/resume/photo');
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(photo.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 600]);

    await client.upload('/me/resume/photo', {}, { field: 'photo', content: png, filename: 'me2.png', contentType: 'image/png' });
    const second = (await profileOf(user.id))!.photoFileId!;
    expect(second).not.toBe(first);
    expect(await t.ctx.db.$count(files, eq(files.id, first))).toBe(0);

    const { client: other } = await signedIn(t, 'seeker');
    expect((await other.get('/me/resume/photo')).status).toBe(404);
  });

  it('refuses a file that is not an image by content, a broken image, and a tiny one, keeping nothing', async () => {
    const { client, user } = await signedIn(t, 'seeker');
    const filesBefore = await t.ctx.db.$count(files);
    const pdfNamedJpg = await client.upload('/me/resume/photo', {}, { field: 'photo', content: samples.pdf(), filename: 'me.jpg', contentType: 'image/jpeg' });
    expect([415, 422]).toContain(pdfNamedJpg.status);
    expect(fieldError(pdfNamedJpg.text, 'photo')).toBe('照片仅支持 JPG、PNG 格式');
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 7)]);
    const bad = await client.upload('/me/resume/photo', {}, { field: 'photo', content: broken, filename: 'me.jpg', contentType: 'image/jpeg' });
    expect(bad.status).toBe(422);
    expect(fieldError(bad.text, 'photo')).toContain('无法读取');
    const tiny = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const small = await client.upload('/me/resume/photo', {}, { field: 'photo', content: tiny, filename: 'me.jpg', contentType: 'image/jpeg' });
    expect(small.status).toBe(422);
    expect(fieldError(small.text, 'photo')).toContain('照片太小');
    expect(await t.ctx.db.$count(files)).toBe(filesBefore);
    expect((await profileOf(user.id))?.photoFileId ?? null).toBeNull();
  });
});
