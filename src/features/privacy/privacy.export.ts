// Owns the data export (/me/export): everything the site holds about one user as JSON, plus their uploaded
// files, written as a ZIP straight to the response (files are streamed from disk, never held in memory).
import { asc, eq, getTableColumns } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import type { Db } from '../../db/client';
import {
  applications,
  consents,
  employerProfiles,
  files,
  jobs,
  jobViews,
  notifications,
  resumes,
  resumeViews,
  savedJobs,
  seekerProfiles,
  users,
} from '../../db/schema';
import { NotFoundError } from '../../errors';
import type { FileStorage } from '../../storage/files';
import { listEventsOf } from '../applications/applications.queries';
import { EXPORT_PAGE_NAME } from './privacy.exportPage';

/** The part of archiver 7 (CommonJS) used here; @types/archiver 8 describes the ESM-only archiver 8. */
type ZipArchive = NodeJS.EventEmitter & {
  pipe(out: Writable): void;
  append(source: string | NodeJS.ReadableStream, data: { name: string }): void;
  finalize(): Promise<void>;
};
type Archiver = (format: 'zip', options: { zlib: { level: number } }) => ZipArchive;
/** Loaded at the first export, not at start: it is a fifth of the app's module loading (issue 21). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const archiver: Archiver = (format, options) => (require('archiver') as Archiver)(format, options);

/** One stored file and the path it gets inside the ZIP. */
export type ExportFile = { storageKey: string; zipPath: string; size: number };

export type ExportBundle = { data: Record<string, unknown>; files: ExportFile[] };

/** A file name safe inside a ZIP on every system: no folders, no reserved characters, not empty. */
export function zipSafeName(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '_').trim().slice(0, 120);
  return cleaned || 'file';
}

/** Gathers the user's data (rows are small; the files are only listed here and streamed later). */
export async function collectExport(db: Db, userId: number, exportedAt: Date): Promise<ExportBundle> {
  // Every column but the password hash: it is not the user's information, and it must never leave the server.
  const { passwordHash: _hash, ...accountColumns } = getTableColumns(users);
  const [account] = await db
    .select(accountColumns)
    .from(users)
    .where(eq(users.id, userId));
  if (!account) throw new NotFoundError();

  const ownFiles = await db.select().from(files).where(eq(files.ownerId, userId)).orderBy(asc(files.id));
  const fileById = new Map(ownFiles.map((f) => [f.id, f]));
  const filesOut: ExportFile[] = [];
  /** Puts one of the user's files in the ZIP under `folder`, and returns its path there. */
  const listFile = (fileId: number | null | undefined, folder: string): string | null => {
    const f = fileId ? fileById.get(fileId) : undefined;
    if (!f) return null;
    const zipPath = `files/${folder}/${f.id}-${zipSafeName(f.originalName)}`;
    filesOut.push({ storageKey: f.storageKey, zipPath, size: f.size });
    return zipPath;
  };

  const data: Record<string, unknown> = {
    exportedAt: exportedAt.toISOString(),
    account,
    consents: await db
      .select({ kind: consents.kind, policyVersion: consents.policyVersion, employerName: consents.employerName, createdAt: consents.createdAt })
      .from(consents)
      .where(eq(consents.userId, userId))
      .orderBy(asc(consents.id)),
    notifications: await db
      .select({ kind: notifications.kind, title: notifications.title, body: notifications.body, link: notifications.link, readAt: notifications.readAt, createdAt: notifications.createdAt })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(asc(notifications.id)),
  };

  if (account.role === 'seeker') {
    const [profile] = await db.select().from(seekerProfiles).where(eq(seekerProfiles.userId, userId));
    const ownResumes = await db.select().from(resumes).where(eq(resumes.seekerId, userId)).orderBy(asc(resumes.id));
    const ownApplications = await db
      .select({
        id: applications.id,
        jobId: applications.jobId,
        jobTitle: jobs.title,
        resumeId: applications.resumeId,
        message: applications.message,
        status: applications.status,
        viewedAt: applications.viewedAt,
        createdAt: applications.createdAt,
        updatedAt: applications.updatedAt,
      })
      .from(applications)
      .innerJoin(jobs, eq(jobs.id, applications.jobId))
      .where(eq(applications.seekerId, userId))
      .orderBy(asc(applications.id));
    const events = await listEventsOf(db, ownApplications.map((a) => a.id));
    data.profile = profile ? { ...profile, userId: undefined } : null;
    data.resumes = ownResumes.map((r) => ({
      id: r.id,
      title: r.title,
      isDefault: r.isDefault,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      lastUsedAt: r.lastUsedAt,
      originalName: fileById.get(r.fileId)?.originalName ?? null,
      file: listFile(r.fileId, 'resumes'),
    }));
    data.applications = ownApplications.map((a) => ({ ...a, events: (events.get(a.id) ?? []).map(({ applicationId: _, ...e }) => e) }));
    data.savedJobs = await db
      .select({ jobId: savedJobs.jobId, jobTitle: jobs.title, savedAt: savedJobs.createdAt })
      .from(savedJobs)
      .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
      .where(eq(savedJobs.userId, userId))
      .orderBy(asc(savedJobs.createdAt));
    data.viewedJobs = await db
      .select({ jobId: jobViews.jobId, jobTitle: jobs.title, viewedAt: jobViews.viewedAt })
      .from(jobViews)
      .innerJoin(jobs, eq(jobs.id, jobViews.jobId))
      .where(eq(jobViews.userId, userId))
      .orderBy(asc(jobViews.viewedAt));
    data.resumeViews = await db
      .select({ resumeId: resumeViews.resumeId, viewerName: resumeViews.viewerName, action: resumeViews.action, applicationId: resumeViews.applicationId, createdAt: resumeViews.createdAt })
      .from(resumeViews)
      .where(eq(resumeViews.seekerId, userId))
      .orderBy(asc(resumeViews.id));
  }
  if (account.role === 'employer') {
    const [company] = await db.select().from(employerProfiles).where(eq(employerProfiles.userId, userId));
    const ownJobs = await db.select().from(jobs).where(eq(jobs.employerId, userId)).orderBy(asc(jobs.id));
    data.company = company ? { ...company, userId: undefined, verifiedBy: undefined, licenseFile: listFile(company.licenseFileId, 'license') } : null;
    data.jobs = ownJobs.map(({ searchText: _s, employerId: _e, ...job }) => job);
  }
  // Any other file the user owns (none today) still goes out: the export is of everything.
  const listed = new Set(filesOut.map((f) => f.storageKey));
  for (const f of ownFiles) if (!listed.has(f.storageKey)) listFile(f.id, f.kind);
  data.files = filesOut.map((f) => f.zipPath);
  return { data, files: filesOut };
}

/**
 * Writes the ZIP: `我的数据.html` (the page a person reads, when given), `data.json` (everything), one JSON per
 * section, then the files. Resolves when the archive is finished; a file missing from disk is noted in
 * `missing-files.txt` rather than failing the export.
 */
export async function writeExportZip(storage: FileStorage, bundle: ExportBundle, out: Writable, readablePage?: string): Promise<void> {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('finish', resolve);
    zip.on('error', reject);
    out.on('error', reject);
  });
  zip.pipe(out);
  if (readablePage !== undefined) zip.append(readablePage, { name: EXPORT_PAGE_NAME });
  zip.append(JSON.stringify(bundle.data, null, 2), { name: 'data.json' });
  for (const [section, value] of Object.entries(bundle.data)) {
    if (section === 'exportedAt' || section === 'files') continue;
    zip.append(JSON.stringify(value, null, 2), { name: `${section}.json` });
  }
  const missing: string[] = [];
  for (const f of bundle.files) {
    if (await storage.exists(f.storageKey)) zip.append(storage.createReadStream(f.storageKey), { name: f.zipPath });
    else missing.push(f.zipPath);
  }
  if (missing.length) zip.append(`以下文件在服务器上已不存在:\n${missing.join('\n')}\n`, { name: 'missing-files.txt' });
  await zip.finalize();
  await done;
}
