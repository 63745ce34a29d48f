// Owns the leads export (GET /admin/leads.xlsx): the list's selection (same filters) as a real .xlsx, read a batch
// at a time and streamed out through the shared writer (src/web/xlsx.ts). Leads hold client companies' contact
// details, so every export is in the audit log: who, how many rows, which filters.
import type { Writable } from 'node:stream';
import type { AppContext } from '../../context';
import { PAY_UNITS } from '../../domain/vocabulary';
import { writeXlsx, type XlsxColumn } from '../../web/xlsx';
import { recordAudit, type Actor } from '../audit/audit.service';
import { isLeadOverdue } from './leads.overdue';
import { leadsBatch } from './leads.queries';
import { LEAD_DURATIONS, LEAD_STATUSES, type LeadFilter } from './leads.validation';

/** Rows read from the database at a time: what the export holds in memory, whatever its length. */
export const LEADS_EXPORT_BATCH = 500;

const messages = { sheet: '用工线索', overdue: '超时未响应', days: (n: number) => `${n} 天` };

type LeadRow = Awaited<ReturnType<typeof leadsBatch>>[number]['lead'];
type ExportRow = LeadRow & { consultantName: string | null; overdue: boolean };

const yes = (v: boolean) => (v ? '是' : '');

const COLUMNS: XlsxColumn<ExportRow>[] = [
  { header: '编号', type: 'number', width: 7, value: (r) => r.id },
  { header: '提交时间', type: 'datetime', width: 18, value: (r) => r.createdAt },
  { header: '状态', width: 10, value: (r) => LEAD_STATUSES[r.status] + (r.overdue ? `(${messages.overdue})` : '') },
  { header: '公司名称', width: 28, value: (r) => r.companyName },
  { header: '联系人', width: 10, value: (r) => r.contactName },
  { header: '手机号', width: 14, value: (r) => r.phone },
  { header: '工种', width: 10, value: (r) => r.category },
  { header: '人数', type: 'number', width: 6, value: (r) => r.headcount },
  { header: '工作区域', width: 10, value: (r) => r.district },
  { header: '开工日期', width: 12, value: (r) => r.startDate },
  { header: '用工时长', width: 10, value: (r) => LEAD_DURATIONS[r.duration] + (r.durationDays ? ` ${messages.days(r.durationDays)}` : '') },
  { header: '班次', width: 10, value: (r) => r.shift },
  { header: '薪资', type: 'number', width: 8, value: (r) => r.payAmount },
  { header: '薪资单位', width: 9, value: (r) => (r.payUnit ? PAY_UNITS[r.payUnit] : '') },
  { header: '包吃', width: 6, value: (r) => yes(r.meals) },
  { header: '包住', width: 6, value: (r) => yes(r.housing) },
  { header: '负责顾问', width: 10, value: (r) => r.consultantName },
  { header: '下次跟进', width: 12, value: (r) => r.nextFollowUpOn },
  { header: '补充说明', width: 30, value: (r) => r.notes },
];

/** Writes the leads matching `filter` (newest first) to `out`, and records the export in the audit log. */
export async function exportLeads(ctx: AppContext, actor: Actor, filter: Omit<LeadFilter, 'page'>, out: Writable): Promise<number> {
  const site = await ctx.settings.get();
  const now = ctx.now();
  async function* rows(): AsyncGenerator<ExportRow> {
    let before: number | null = null;
    for (;;) {
      const batch = await leadsBatch(ctx.db, filter, before, LEADS_EXPORT_BATCH);
      if (batch.length === 0) return;
      for (const r of batch) yield { ...r.lead, consultantName: r.consultantName, overdue: isLeadOverdue(r.lead, now, site) };
      before = batch[batch.length - 1]!.lead.id;
    }
  }
  // Audited before the file's end is sent (writeXlsx's beforeEnd).
  return writeXlsx(out, messages.sheet, COLUMNS, rows(), (count) => recordAudit(ctx.db, actor, { action: 'lead.export', targetType: 'lead', targetId: null, after: { rows: count, filter } }));
}
