// Owns an employer's private notes on an application: written and read only through the employer's own
// applications; the seeker's pages and exports never read this table.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applicationNotes, applications, jobs } from '../../db/schema';
import { NotFoundError } from '../../errors';

export const NOTE_MAX = 1000;

/** The application, if it is one of the employer's (else 404: other employers' applications do not exist for them). */
export async function requireOwnApplication(db: Db, employerId: number, applicationId: number) {
  const [row] = await db
    .select({ id: applications.id, status: applications.status, seekerId: applications.seekerId, jobId: jobs.id, jobTitle: jobs.title })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.id, applicationId), eq(jobs.employerId, employerId)));
  if (!row) throw new NotFoundError();
  return row;
}

export async function addNote(db: Db, employerId: number, applicationId: number, body: string): Promise<void> {
  await db.transaction(async (tx) => {
    await requireOwnApplication(tx, employerId, applicationId);
    await tx.insert(applicationNotes).values({ applicationId, authorId: employerId, body });
  });
}

export type NoteRow = { id: number; body: string; createdAt: Date };

/** The notes of one application, oldest first (the caller has checked that it is the employer's). */
export async function listNotes(db: Db, applicationId: number): Promise<NoteRow[]> {
  return db
    .select({ id: applicationNotes.id, body: applicationNotes.body, createdAt: applicationNotes.createdAt })
    .from(applicationNotes)
    .where(eq(applicationNotes.applicationId, applicationId))
    .orderBy(asc(applicationNotes.createdAt), asc(applicationNotes.id));
}
