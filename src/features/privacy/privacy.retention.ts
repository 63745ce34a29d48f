// Owns resume retention: a resume neither sent with an application nor updated for RESUME_RETENTION_DAYS is
// deleted (row and file); its owner is told 7 days before, once. Run daily and by `npm run privacy:sweep`.
import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { applications, files, resumes } from '../../db/schema';
import { notifyUser } from '../notifications/notifications.service';

export const RETENTION_NOTICE_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

const messages = {
  warnTitle: (n: number, date: string) => `你有 ${n} 份简历将于 ${date} 前后自动删除`,
  warnBody: (titles: string[], days: number) =>
    `「${titles.join('」「')}」已超过 ${days - RETENTION_NOTICE_DAYS} 天没有用于投递或更新。为保护你的个人信息,超过 ${days} 天未使用的简历会被自动删除。想保留的话,用它投递一次或在「我的简历」中重命名即可。`,
  deletedTitle: (n: number) => `${n} 份长期未使用的简历已自动删除`,
  deletedBody: (titles: string[], days: number) => `「${titles.join('」「')}」超过 ${days} 天没有用于投递或更新,已按隐私政策删除(文件和记录均已删除)。`,
};

export type SweepResult = { warned: number; deleted: number; filesRemoved: number };

/** The last time a resume was used or changed: its update, its last use, or its newest application. */
const lastActivity = sql<Date>`greatest(${resumes.updatedAt}, coalesce(${resumes.lastUsedAt}, ${resumes.updatedAt}),
  coalesce((select max(${applications.createdAt}) from ${applications} where ${applications.resumeId} = ${resumes.id}), ${resumes.updatedAt}))`;

/** A bound instant that both drivers pass the same way. */
function at(d: Date) {
  return sql`${d.toISOString()}::timestamptz`;
}

function chinaDate(d: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' }).format(d);
}

/**
 * One pass at the context's clock:
 * 1. a warned resume used or updated since is no longer warned (its clock restarted);
 * 2. resumes idle for (days − 7) and not yet warned are warned: one message per owner;
 * 3. resumes idle for `days` and warned at least 7 days ago are deleted, row and file, and the owner told.
 *    Requiring the full 7 days of notice means a resume is never deleted without it, even when the sweep
 *    first runs late or the retention period was shortened.
 */
export async function sweepResumes(ctx: AppContext, days = ctx.config.resumeRetentionDays): Promise<SweepResult> {
  const now = ctx.now();
  const warnBefore = new Date(now.getTime() - (days - RETENTION_NOTICE_DAYS) * DAY_MS);
  const deleteBefore = new Date(now.getTime() - days * DAY_MS);
  const noticeGivenBefore = new Date(now.getTime() - RETENTION_NOTICE_DAYS * DAY_MS);

  const outcome = await ctx.db.transaction(async (tx) => {
    await tx
      .update(resumes)
      .set({ retentionWarnedAt: null })
      .where(and(isNotNull(resumes.retentionWarnedAt), sql`${lastActivity} >= ${resumes.retentionWarnedAt}`));

    const toWarn = await tx
      .select({ id: resumes.id, seekerId: resumes.seekerId, title: resumes.title })
      .from(resumes)
      .where(and(isNull(resumes.retentionWarnedAt), lt(lastActivity, at(warnBefore))))
      .orderBy(resumes.seekerId, resumes.id)
      .for('update');
    const deleteOn = chinaDate(new Date(now.getTime() + RETENTION_NOTICE_DAYS * DAY_MS));
    for (const [seekerId, list] of groupBySeeker(toWarn)) {
      await notifyUser(tx, seekerId, {
        kind: 'resume.retention_warning',
        title: messages.warnTitle(list.length, deleteOn),
        body: messages.warnBody(list.map((r) => r.title), days),
        link: '/me/resumes',
      });
    }
    if (toWarn.length) await tx.update(resumes).set({ retentionWarnedAt: at(now) }).where(inArray(resumes.id, toWarn.map((r) => r.id)));

    const toDelete = await tx
      .select({ id: resumes.id, seekerId: resumes.seekerId, title: resumes.title, fileId: resumes.fileId, isDefault: resumes.isDefault, key: files.storageKey })
      .from(resumes)
      .innerJoin(files, eq(files.id, resumes.fileId))
      .where(and(lt(lastActivity, at(deleteBefore)), isNotNull(resumes.retentionWarnedAt), lt(resumes.retentionWarnedAt, at(noticeGivenBefore))))
      .for('update', { of: resumes });
    if (toDelete.length) {
      // The resume rows cascade away with their file rows; applications keep a null resume_id.
      await tx.delete(files).where(inArray(files.id, toDelete.map((r) => r.fileId)));
    }
    for (const [seekerId, list] of groupBySeeker(toDelete)) {
      if (list.some((r) => r.isDefault)) {
        const [next] = await tx.select({ id: resumes.id }).from(resumes).where(eq(resumes.seekerId, seekerId)).orderBy(desc(resumes.createdAt), desc(resumes.id)).limit(1);
        if (next) await tx.update(resumes).set({ isDefault: true }).where(and(eq(resumes.id, next.id), ne(resumes.isDefault, true)));
      }
      await notifyUser(tx, seekerId, {
        kind: 'resume.retention_deleted',
        title: messages.deletedTitle(list.length),
        body: messages.deletedBody(list.map((r) => r.title), days),
        link: '/me/resumes',
      });
    }
    return { warned: toWarn.length, keys: toDelete.map((r) => r.key) };
  });

  // After the commit, as everywhere: a crash here leaves orphan files for the upload sweep.
  await ctx.storage.removeAll(outcome.keys);
  return { warned: outcome.warned, deleted: outcome.keys.length, filesRemoved: outcome.keys.length };
}

function groupBySeeker<T extends { seekerId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) map.set(r.seekerId, [...(map.get(r.seekerId) ?? []), r]);
  return map;
}
