// The applicant export: a real .xlsx (parsed back with exceljs) with Chinese headers, dates as dates and the same
// filters as the inbox; never another employer's rows; logged, and shown to each seeker in 谁看过我的简历.
import { PassThrough } from 'node:stream';
import { asc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { applicantExports, applications, resumeViews } from '../src/db/schema';
import { writeXlsx, XLSX_MIME } from '../src/web/xlsx';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { isServerMode } from './helpers/db';
import { download } from './helpers/unzip';
import { applicant, employerWithJobs } from './helpers/workspace';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function readSheet(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { sheet, rows };
}

describe('the applicant export', () => {
  let employer: Awaited<ReturnType<typeof employerWithJobs>>;
  let wang: Awaited<ReturnType<typeof applicant>>;
  let li: Awaited<ReturnType<typeof applicant>>;
  let gone: Awaited<ReturnType<typeof applicant>>;

  beforeAll(async () => {
    employer = await employerWithJobs(t, 2, '深圳市导出电子有限公司');
    wang = await applicant(t, employer.jobs[0]!.id, { realName: '王导出', district: '宝安区', birthYear: 1990 });
    li = await applicant(t, employer.jobs[1]!.id, { realName: '=HYPERLINK("http://x")', district: '龙华区' });
    gone = await applicant(t, employer.jobs[1]!.id, { realName: '撤回者' });
    await gone.client.post(`/me/applications/${gone.applicationId}/withdraw`, {});
    const other = await employerWithJobs(t, 1, '深圳市别家导出有限公司');
    await applicant(t, other.jobs[0]!.id, { realName: '别家求职者' });
  });

  it('is a real .xlsx with Chinese headers, dates as dates, full phones as on the application page, and only this employer’s rows', async () => {
    const res = await download(employer.client, '/employer/applicants.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['cache-control']).toBe('no-store');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const { rows } = await readSheet(bytes);
    expect(rows[0]).toEqual(['投递时间', '职位', '姓名', '性别', '年龄', '手机号', '现居住区', '求职意向', '状态', '查看时间', '留言']);
    expect(rows).toHaveLength(4);
    const names = rows.slice(1).map((r) => r[2]);
    expect(names).toEqual(['求职者已撤回投递', '=HYPERLINK("http://x")', '王导出']);
    expect(names).not.toContain('别家求职者');
    const wangRow = rows[3]!;
    expect(wangRow[0]).toBeInstanceOf(Date);
    expect(wangRow[1]).toBe(employer.jobs[0]!.title);
    expect(wangRow[3]).toBe('男');
    expect(typeof wangRow[4]).toBe('number');
    expect(wangRow[5]).toBe(wang.user.login);
    expect(wangRow[6]).toBe('宝安区');
    expect(wangRow[8]).toBe('已投递');
    // The applied time as the site shows it (China time), to the second.
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, wang.applicationId));
    expect(Math.abs((wangRow[0] as Date).getTime() - (app!.createdAt.getTime() + 8 * 3600_000))).toBeLessThan(1000);
    // A formula typed as a name stays text; a withdrawn application has no phone or district.
    expect(rows[2]![2]).toBe('=HYPERLINK("http://x")');
    expect(rows[1]![5] ?? '').toBe('');
    expect(rows[1]![6] ?? '').toBe('');
  });

  it('takes the inbox filters', async () => {
    const res = await download(employer.client, `/employer/applicants.xlsx?job=${employer.jobs[0]!.id}`);
    const { rows } = await readSheet(res.body as Buffer);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['王导出']);
    const none = await download(employer.client, '/employer/applicants.xlsx?q=nobody-here');
    expect((await readSheet(none.body as Buffer)).rows).toHaveLength(1);
  });

  it('is logged (who, when, how many rows, filters) and each seeker sees it in 谁看过我的简历; a withdrawn one is not named', async () => {
    const logs = await t.ctx.db.select().from(applicantExports).where(eq(applicantExports.employerId, employer.user.id)).orderBy(asc(applicantExports.id));
    expect(logs.map((l) => l.rowCount)).toEqual([3, 1, 0]);
    expect(logs[1]!.filters).toEqual({ job: employer.jobs[0]!.id });
    expect(logs[0]!.createdAt).toBeInstanceOf(Date);
    const wangViews = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.seekerId, wang.user.id));
    expect(wangViews.filter((v) => v.action === 'export')).toHaveLength(2);
    const page = await wang.client.get('/me/resume-views');
    expect(page.text).toContain('导出了你的投递信息(Excel)');
    expect(page.text).toContain('深圳市导出电子有限公司');
    const goneViews = await t.ctx.db.select().from(resumeViews).where(eq(resumeViews.seekerId, gone.user.id));
    expect(goneViews.filter((v) => v.action === 'export')).toHaveLength(0);
  });

  // PostgreSQL only: a lock held on another connection makes the log's insert wait (PGlite has one connection).
  (isServerMode() ? it : it.skip)('is logged before the file ends: whoever holds the whole file finds the export logged', async () => {
    let finished = false;
    let pending: ReturnType<typeof download> | undefined;
    await t.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`lock table ${applicantExports} in exclusive mode`);
      pending = download(employer.client, `/employer/applicants.xlsx?job=${employer.jobs[1]!.id}`);
      void pending.then(() => (finished = true), () => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 700));
      // The rows are read and written, but the file is not ended while its log row cannot be written.
      expect(finished).toBe(false);
    });
    const res = await pending!;
    expect(res.status).toBe(200);
    const logs = await t.ctx.db.select().from(applicantExports).where(eq(applicantExports.employerId, employer.user.id)).orderBy(asc(applicantExports.id));
    expect(logs.at(-1)!.filters).toEqual({ job: employer.jobs[1]!.id });
    expect(logs.at(-1)!.rowCount).toBe(2);
  });

  it('is for employers only', async () => {
    const seeker = await signedIn(t, 'seeker');
    expect((await seeker.client.get('/employer/applicants.xlsx')).status).toBe(403);
    expect((await t.client().get('/employer/applicants.xlsx')).status).toBe(302);
  });
});

describe('writeXlsx (the shared rows → workbook writer)', () => {
  it('writes the header, one row per item, dates as China-time dates, numbers as numbers', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on('end', resolve));
    const items = [{ name: '张三', when: new Date('2024-05-01T01:30:00Z'), n: 3 }];
    const count = await writeXlsx(out, '表', [
      { header: '名字', value: (r: (typeof items)[0]) => r.name },
      { header: '时间', type: 'datetime', value: (r) => r.when },
      { header: '数量', type: 'number', value: (r) => r.n },
    ], items);
    await ended;
    expect(count).toBe(1);
    const { sheet, rows } = await readSheet(Buffer.concat(chunks));
    expect(sheet.name).toBe('表');
    expect(rows[0]).toEqual(['名字', '时间', '数量']);
    expect(rows[1]![0]).toBe('张三');
    // 09:30 in Shanghai is what the cell shows.
    expect((rows[1]![1] as Date).toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(sheet.getCell('B2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(rows[1]![2]).toBe(3);
  });
});
