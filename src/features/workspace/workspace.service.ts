// Owns the employer's actions on many applications at once: a bulk status change row by row.
import type { Db } from '../../db/client';
import type { ApplicationStatus } from '../../domain/vocabulary';
import { InvalidTransitionError, NotFoundError } from '../../errors';
import { changeApplicationStatus } from '../applications/applications.service';

/**
 * Moves each ticked application, each in its own transaction: the pipeline rules apply per row, and one refusal
 * (a move the rules do not allow, a row that is not the employer's) does not stop the others.
 */
export async function bulkChangeStatus(db: Db, employerId: number, ids: number[], to: ApplicationStatus, seekerMessage?: string): Promise<{ moved: number; refused: number }> {
  let moved = 0;
  let refused = 0;
  for (const id of ids) {
    try {
      await changeApplicationStatus(db, employerId, id, to, seekerMessage);
      moved += 1;
    } catch (err) {
      if (!(err instanceof InvalidTransitionError) && !(err instanceof NotFoundError)) throw err;
      refused += 1;
    }
  }
  return { moved, refused };
}
