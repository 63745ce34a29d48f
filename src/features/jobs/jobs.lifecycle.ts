// Owns the job lifecycle: which action may move a job from which status to which. Every status change
// in the jobs service goes through `nextStatus`; anything not in the table is an InvalidTransitionError.
import { JOB_STATUSES, type JobStatus } from '../../domain/vocabulary';
import { InvalidTransitionError } from '../../errors';

export type JobAction = 'save' | 'submit' | 'approve' | 'reject' | 'close' | 'reopen' | 'expire' | 'takeDown';

const ACTION_LABELS: Record<JobAction, string> = {
  save: '修改',
  submit: '提交审核',
  approve: '审核通过',
  reject: '审核不通过',
  close: '关闭',
  reopen: '重新开放',
  expire: '过期',
  takeDown: '下架',
};

/**
 * From status → action → new status.
 * - Saving a draft, a pending, rejected, closed or expired job keeps its status; saving a published job
 *   sends it back to review, so nothing unreviewed is ever public.
 * - Re-submitting a pending job changes nothing (it stays in the queue).
 * - An admin can take down a published job, or a pending one that was reported before it was edited.
 */
export const JOB_TRANSITIONS: Record<JobStatus, Partial<Record<JobAction, JobStatus>>> = {
  draft: { save: 'draft', submit: 'pending' },
  pending: { save: 'pending', submit: 'pending', approve: 'published', reject: 'rejected', takeDown: 'closed' },
  published: { save: 'pending', submit: 'pending', close: 'closed', expire: 'expired', takeDown: 'closed' },
  rejected: { save: 'rejected', submit: 'pending' },
  closed: { save: 'closed', submit: 'pending', reopen: 'pending' },
  expired: { save: 'expired', submit: 'pending', reopen: 'pending' },
};

export function canTransition(from: JobStatus, action: JobAction): boolean {
  return JOB_TRANSITIONS[from][action] !== undefined;
}

/** The status after `action`, or an InvalidTransitionError naming both in Chinese (409). */
export function nextStatus(from: JobStatus, action: JobAction): JobStatus {
  const to = JOB_TRANSITIONS[from][action];
  if (!to) throw new InvalidTransitionError(`状态为「${JOB_STATUSES[from]}」的职位不能${ACTION_LABELS[action]}`);
  return to;
}
