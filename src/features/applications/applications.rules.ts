// Owns the application status machine: which actor may move an application from which status to which.
import type { ApplicationStatus } from '../../domain/vocabulary';

export type StatusActor = 'employer' | 'seeker' | 'system';

/**
 * Every allowed move. Anything not listed is refused (InvalidTransitionError, 409).
 * - employer: new → viewed (also automatic on first open) → shortlisted → hired; rejection from any open status;
 *   shortlisting straight from new is allowed (an employer may decide from the list). Hiring needs a shortlist first.
 * - seeker: withdraws while the application is still open.
 * - system: closing or taking down a job closes its open applications.
 * hired, rejected, withdrawn and closed are final.
 */
export const TRANSITIONS: Record<StatusActor, Partial<Record<ApplicationStatus, readonly ApplicationStatus[]>>> = {
  employer: {
    new: ['viewed', 'shortlisted', 'rejected'],
    viewed: ['shortlisted', 'rejected'],
    shortlisted: ['hired', 'rejected'],
  },
  seeker: {
    new: ['withdrawn'],
    viewed: ['withdrawn'],
    shortlisted: ['withdrawn'],
  },
  system: {
    new: ['closed'],
    viewed: ['closed'],
    shortlisted: ['closed'],
  },
};

/** Statuses in which an application is still being considered. */
export const OPEN_STATUSES = ['new', 'viewed', 'shortlisted'] as const satisfies readonly ApplicationStatus[];

export function canTransition(actor: StatusActor, from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[actor][from]?.includes(to) ?? false;
}

/** The moves an employer can offer as buttons for an application in `from`. */
export function employerNextStatuses(from: ApplicationStatus): readonly ApplicationStatus[] {
  return TRANSITIONS.employer[from] ?? [];
}

export function isOpenStatus(status: ApplicationStatus): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
