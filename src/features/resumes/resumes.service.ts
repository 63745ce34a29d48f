// Owns the rules of resumes: at most five per seeker, exactly one default, removal of the file after commit,
// and who may download a resume (with every employer or admin download written to the seeker's log).
import { and, desc, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { applications, files, jobs, resumes, resumeViews, seekerProfiles, users } from '../../db/schema';
import { dateIso } from '../../web/format';
import { NotFoundError, ValidationError } from '../../errors';
import { storeUpload, type StoredFile } from '../../storage/store';
import type { UploadedFile } from '../../storage/upload';
import { findEmployerAccess, findResumeWithFile, findStaffAccess } from './resumes.queries';

export const MAX_RESUMES = 5;
export const RESUME_TITLE_MAX = 50;

const messages = {
  tooMany: `最多只能保存 ${MAX_RESUMES} 份简历,请先删除不用的简历再上传`,
  adminViewer: '平台管理员',
};

export type ResumeRow = typeof resumes.$inferSelect;

/**
 * Locks the seeker's user row for the rest of the transaction. Every write that counts or changes a seeker's
 * resumes or applications takes it first, so two concurrent uploads cannot make a sixth resume and two
 * concurrent defaults cannot collide.
 * NO KEY UPDATE rather than UPDATE: the `files` row inserted just before holds a KEY SHARE lock on the same
 * user row (its owner_id foreign key), which UPDATE would wait on in every other upload: a deadlock.
 */
export async function lockSeeker(tx: Db, seekerId: number): Promise<{ phoneVerified: boolean }> {
  const rows = await tx
    .select({ id: users.id, phone: users.phone, phoneVerifiedAt: users.phoneVerifiedAt })
    .from(users)
    .where(eq(users.id, seekerId))
    .for('no key update');
  if (rows.length === 0) throw new NotFoundError();
  return { phoneVerified: Boolean(rows[0]!.phone && rows[0]!.phoneVerifiedAt) };
}

/** The default title of an uploaded resume: its file name without the extension. */
export function titleFromFileName(name: string): string {
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return (base || '我的简历').slice(0, RESUME_TITLE_MAX);
}

/**
 * Inserts the resume row of a stored file. The caller holds `lockSeeker`. The first resume becomes the default.
 * A sixth is a ValidationError on the file field (the caller's storeUpload then removes the file).
 */
export async function insertResume(tx: Db, seekerId: number, file: StoredFile, title?: string): Promise<ResumeRow> {
  const existing = await tx.$count(resumes, eq(resumes.seekerId, seekerId));
  if (existing >= MAX_RESUMES) throw new ValidationError({ file: messages.tooMany }, messages.tooMany);
  const [row] = await tx
    .insert(resumes)
    .values({ seekerId, fileId: file.id, title: title || titleFromFileName(file.originalName), isDefault: existing === 0 })
    .returning();
  return row!;
}

/** Stores an uploaded resume: file in place and row inserted together, or neither. */
export async function addResume(ctx: AppContext, seekerId: number, upload: UploadedFile, title?: string): Promise<ResumeRow> {
  return storeUpload(ctx.db, ctx.storage, upload, { kind: 'resume', ownerId: seekerId }, async (tx, file) => {
    await lockSeeker(tx, seekerId);
    return insertResume(tx, seekerId, file, title);
  });
}

async function findOwnResume(tx: Db, seekerId: number, resumeId: number): Promise<ResumeRow> {
  const [row] = await tx
    .select()
    .from(resumes)
    .where(and(eq(resumes.id, resumeId), eq(resumes.seekerId, seekerId)));
  if (!row) throw new NotFoundError();
  return row;
}

export async function renameResume(db: Db, seekerId: number, resumeId: number, title: string): Promise<void> {
  const updated = await db
    .update(resumes)
    .set({ title, updatedAt: new Date() })
    .where(and(eq(resumes.id, resumeId), eq(resumes.seekerId, seekerId)))
    .returning({ id: resumes.id });
  if (updated.length === 0) throw new NotFoundError();
}

export async function setDefaultResume(db: Db, seekerId: number, resumeId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await lockSeeker(tx, seekerId);
    const resume = await findOwnResume(tx, seekerId, resumeId);
    if (resume.isDefault) return;
    // The old default goes first: a partial unique index allows one default per seeker.
    await tx.update(resumes).set({ isDefault: false }).where(and(eq(resumes.seekerId, seekerId), eq(resumes.isDefault, true)));
    await tx.update(resumes).set({ isDefault: true, updatedAt: new Date() }).where(eq(resumes.id, resumeId));
  });
}

/**
 * Deletes a resume for everyone: the seeker, and the employers who received it (their applications keep
 * the message and status, without a resume). Deleting the default makes the newest remaining one the default.
 * The bytes are removed only after the transaction commits, so a rollback never leaves a row without its file.
 */
export async function deleteResume(ctx: AppContext, seekerId: number, resumeId: number): Promise<{ promoted?: string }> {
  const { key, promoted } = await ctx.db.transaction(async (tx) => {
    await lockSeeker(tx, seekerId);
    const resume = await findOwnResume(tx, seekerId, resumeId);
    const [file] = await tx.select({ key: files.storageKey }).from(files).where(eq(files.id, resume.fileId));
    // The resume row cascades away with its file row; applications keep a null resume_id.
    await tx.delete(files).where(eq(files.id, resume.fileId));
    let promotedTitle: string | undefined;
    if (resume.isDefault) {
      const [next] = await tx
        .select({ id: resumes.id, title: resumes.title })
        .from(resumes)
        .where(and(eq(resumes.seekerId, seekerId), ne(resumes.id, resumeId)))
        .orderBy(desc(resumes.createdAt), desc(resumes.id))
        .limit(1);
      if (next) {
        await tx.update(resumes).set({ isDefault: true }).where(eq(resumes.id, next.id));
        promotedTitle = next.title;
      }
    }
    return { key: file?.key, promoted: promotedTitle };
  });
  if (key) {
    await ctx.storage.remove(key).catch((err: unknown) => ctx.logger.warn({ err, resumeId }, 'resume file removal failed; the sweep will retry'));
  }
  return { promoted };
}

export type Viewer = { id: number; role: 'seeker' | 'employer' | 'admin' | 'consultant' };

export type DownloadGrant = {
  resume: NonNullable<Awaited<ReturnType<typeof findResumeWithFile>>>;
  /** Who is downloading, for the seeker's log; null for the owner (not logged). */
  logAs: { viewerName: string; applicationId: number | null } | null;
};

/**
 * Who may download a resume: its owner; an employer who received it with an application (not withdrawn)
 * to one of their jobs; an admin; a consultant, for an active application to a client company's job. Anyone else gets null, and the caller answers 404 as if it did not exist.
 */
export async function authorizeResumeDownload(db: Db, viewer: Viewer, resumeId: number): Promise<DownloadGrant | null> {
  const resume = await findResumeWithFile(db, resumeId);
  if (!resume) return null;
  if (resume.seekerId === viewer.id) return { resume, logAs: null };
  if (viewer.role === 'admin') return { resume, logAs: { viewerName: messages.adminViewer, applicationId: null } };
  if (viewer.role === 'employer') {
    const access = await findEmployerAccess(db, viewer.id, resumeId);
    if (access) return { resume, logAs: { viewerName: access.companyName, applicationId: access.applicationId } };
  }
  if (viewer.role === 'consultant') {
    const access = await findStaffAccess(db, resumeId);
    if (access) return { resume, logAs: { viewerName: access.companyName ?? '', applicationId: access.applicationId } };
  }
  return null;
}

/** One line of the seeker's 谁看过我的简历. */
export async function recordResumeView(
  db: Db,
  entry: { seekerId: number; resumeId: number | null; viewerId: number; viewerName: string; action: 'view' | 'download'; applicationId: number | null },
): Promise<void> {
  await db.insert(resumeViews).values(entry);
}

/**
 * The name an employer's download of an applicant's file gets: 姓名-职位-日期 with the file's own extension, so a
 * folder of downloads sorts and reads without opening each `resume.pdf`. Characters a file system refuses go.
 */
export async function applicantFileName(db: Db, applicationId: number, originalName: string): Promise<string> {
  const [row] = await db
    .select({ realName: seekerProfiles.realName, displayName: users.displayName, title: jobs.title, createdAt: applications.createdAt })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(users, eq(users.id, applications.seekerId))
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, applications.seekerId))
    .where(eq(applications.id, applicationId));
  if (!row) return originalName;
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(originalName)?.[0]?.toLowerCase() ?? '';
  const safe = (v: string) => v.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40);
  return `${safe(row.realName || row.displayName || '求职者')}-${safe(row.title)}-${dateIso(row.createdAt)}${ext}`;
}
