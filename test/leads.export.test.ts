// The leads export (GET /admin/leads.xlsx): a real .xlsx (parsed back with exceljs) of exactly what the list shows
// with the same filters, for staff only, and every export in the audit log.
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { auditLog } from '../src/db/schema';
import { XLSX_MIME } from '../src/web/xlsx';
import { createTestApp, type TestApp } from './helpers/app';
import { signedIn } from './helpers/factories';
import { insertLead } from './helpers/leads';
import { download } from './helpers/unzip';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function sheetRows(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: workbook.worksheets[0]!.name, rows };
}

describe('the leads export', () => {
  it('gives a consultant the filtered leads as .xlsx with Chinese headers, and audits the export', async () => {
    const { client: consultant, user } = await signedIn(t, 'consultant');
    await insertLead(t.ctx, { companyName: '导出新线索电子厂', phone: '13900001111', status: 'new', headcount: 30 });
    await insertLead(t.ctx, { companyName: '导出跟进中物流公司', status: 'following', assignedTo: user.id });
    await insertLead(t.ctx, { companyName: '=HYPERLINK("http://x")', status: 'new' });

    const res = await download(consultant, '/admin/leads.xlsx?status=new');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['cache-control']).toBe('no-store');
    const { name, rows } = await sheetRows(res.body as Buffer);
    expect(name).toBe('用工线索');
    expect(rows[0]).toEqual(expect.arrayContaining(['编号', '提交时间', '状态', '公司名称', '联系人', '手机号', '人数', '负责顾问']));
    const companies = rows.slice(1).map((r) => r[3]);
    expect(companies).toContain('导出新线索电子厂');
    expect(companies).not.toContain('导出跟进中物流公司');
    // A formula typed into the form stays text.
    expect(companies).toContain('=HYPERLINK("http://x")');
    const row = rows.find((r) => r[3] === '导出新线索电子厂')!;
    expect(row).toEqual(expect.arrayContaining(['13900001111', 30]));
    expect(row[1]).toBeInstanceOf(Date);

    const byConsultant = await download(consultant, `/admin/leads.xlsx?consultant=${user.id}`);
    const mine = await sheetRows(byConsultant.body as Buffer);
    expect(mine.rows.slice(1).map((r) => r[3])).toEqual(['导出跟进中物流公司']);

    // The audit row is written before the workbook's end is sent: it is there once the file has arrived.
    const audited = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'lead.export')).orderBy(auditLog.id);
    expect(audited.filter((a) => a.actorId === user.id)).toHaveLength(2);
    expect(audited[0]!.after).toMatchObject({ rows: 2, filter: { status: 'new' } });
  });

  it('is for staff only: employers and seekers get 403, visitors the login page', async () => {
    const { client: employer } = await signedIn(t, 'employer');
    expect((await employer.get('/admin/leads.xlsx')).status).toBe(403);
    const anon = await t.client().get('/admin/leads.xlsx');
    expect(anon.status).toBe(302);
    expect(anon.headers.location).toContain('/login');
    const { client: admin } = await signedIn(t, 'admin');
    expect((await download(admin, '/admin/leads.xlsx')).status).toBe(200);
  });

  it('the list links its export with the same filters', async () => {
    const { client: consultant } = await signedIn(t, 'consultant');
    const page = await consultant.get('/admin/leads?status=new&from=2020-01-01');
    expect(page.text).toContain('/admin/leads.xlsx?status=new&amp;from=2020-01-01');
  });
});
