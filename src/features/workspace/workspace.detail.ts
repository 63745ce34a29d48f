// Owns what the workspace adds to an employer's application page (/employer/applications/:id): the private notes
// and the interviews, drawn by views/workspace/_notes.ejs and _interviews.ejs.
import type { Db } from '../../db/client';
import { findUndoableChanges, UNDO_MINUTES } from '../applications/applications.service';
import { listInterviewsOf, presentInterview } from './interviews.service';
import { listNotes, NOTE_MAX } from './notes.service';

/** The locals of the workspace's sections of the application page; the caller has checked that it is the employer's. */
export async function applicationWorkspaceLocals(db: Db, employerId: number, applicationId: number, now: Date) {
  const [notes, interviews, undoable] = await Promise.all([
    listNotes(db, applicationId),
    listInterviewsOf(db, applicationId),
    findUndoableChanges(db, employerId, [applicationId]),
  ]);
  return { notes, noteMax: NOTE_MAX, interviews: interviews.map((i) => presentInterview(i, now)), undoable: undoable.get(applicationId) ?? null, undoMinutes: UNDO_MINUTES };
}
