// Owns the applicant export (GET /employer/applicants.xlsx): the inbox's selection as a real .xlsx, read from the
// database a batch at a time and streamed out, logged (who, when, how many rows, which filters), and shown to each
// seeker concerned in 谁看过我的简历.
import type { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { applicantExports, employerProfiles, resumeViews, users } from '../../db/schema';
import { APPLICATION_STATUSES } from '../../domain/vocabulary';
import { writeXlsx, type XlsxColumn } from '../../web/xlsx';
import { presentApplicant, type PresentedApplicant } from '../applications/applications.present';
import { inboxBatch, type InboxFilters, type InboxRow } from './workspace.queries';

/** Rows read from the database at a time: what the export holds in memory, whatever its length. */
export const EXPORT_BATCH = 500;

const messages = { sheet: '求职者' };

type ExportRow = PresentedApplicant & { jobTitle: string };

/** The columns, in Chinese; the phone is in full where the application page shows it, empty where it shows none. */
const COLUMNS: XlsxColumn<ExportRow>[] = [
  { header: '投递时间', type: 'datetime', width: 18, value: (r) => r.createdAt },
  { header: '职位', width: 24, value: (r) => r.jobTitle },
  { header: '姓名', width: 12, value: (r) => r.name },
  { header: '性别', width: 6, value: (r) => r.genderLabel },
  { header: '年龄', type: 'number', width: 6, value: (r) => r.age },
  { header: '手机号', width: 14, value: (r) => r.phone },
  { header: '现居住区', width: 10, value: (r) => (r.anonymised ? '' : r.district) },
  { header: '求职意向', width: 16, value: (r) => r.desiredLabels.join('、') },
  { header: '状态', width: 10, value: (r) => APPLICATION_STATUSES[r.status] },
  { header: '查看时间', type: 'datetime', width: 18, value: (r) => r.viewedAt },
  { header: '留言', width: 30, value: (r) => r.message },
];

async function companyNameOf(ctx: AppContext, employerId: number): Promise<string> {
  const [row] = await ctx.db
    .select({ name: sql<string>`coalesce(${employerProfiles.companyName}, ${users.displayName})` })
    .from(users)
    .leftJoin(employerProfiles, eq(employerProfiles.userId, users.id))
    .where(eq(users.id, employerId));
  return row?.name ?? '';
}

/**
 * Writes the employer's applications matching `filters` to `out` (newest first) and logs the export. Each batch
 * is written to 谁看过我的简历 as it leaves, so a seeker sees every export their data was in.
 */
export async function exportApplicants(ctx: AppContext, employerId: number, filters: InboxFilters, out: Writable): Promise<number> {
  const viewerName = await companyNameOf(ctx, employerId);
  const now = ctx.now();

  async function* rows(): AsyncGenerator<ExportRow> {
    let before: number | null = null;
    for (;;) {
      const batch: InboxRow[] = await inboxBatch(ctx.db, employerId, filters, before, EXPORT_BATCH);
      if (batch.length === 0) return;
      const seen = batch.filter((r) => r.seekerId !== null && r.status !== 'withdrawn');
      if (seen.length) {
        await ctx.db.insert(resumeViews).values(
          seen.map((r) => ({ seekerId: r.seekerId!, resumeId: r.resumeId, viewerId: employerId, viewerName, action: 'export', applicationId: r.id })),
        );
      }
      for (const r of batch) yield { ...presentApplicant(r, now), jobTitle: r.jobTitle };
      before = batch[batch.length - 1]!.id;
    }
  }

  // Logged before the file's end is sent (writeXlsx's beforeEnd): an employer holding the file finds it logged.
  return writeXlsx(out, messages.sheet, COLUMNS, rows(), (count) => ctx.db.insert(applicantExports).values({ employerId, rowCount: count, filters }));
}
