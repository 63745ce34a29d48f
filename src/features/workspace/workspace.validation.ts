// Owns the rules of the workspace's inputs: the inbox filters (lenient: a bad value is dropped, as in job search),
// the bulk status form, notes and interview invitations, with their Chinese messages.
import { z } from 'zod';
import { APPLICATION_STATUSES, DISTRICTS, type ApplicationStatus } from '../../domain/vocabulary';
import { normalizeText } from '../../domain/text';
import { parseId } from '../../web/forms';
import { NOTE_MAX } from './notes.service';
import type { InboxFilters } from './workspace.queries';

const messages = {
  ids: '请先勾选要处理的求职者',
  status: '请选择要改成的状态',
};

const noteMessages = {
  empty: '请填写备注内容',
  tooLong: `备注不能超过 ${NOTE_MAX} 个字`,
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Statuses an employer can choose in the bulk form (viewed happens by opening; withdrawn and closed are not theirs). */
export const BULK_STATUSES = ['shortlisted', 'hired', 'rejected'] as const;

function one(raw: unknown): string {
  return typeof raw === 'string' ? normalizeText(raw) : '';
}

function validDate(raw: string): string | undefined {
  return DATE_RE.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) ? raw : undefined;
}

/** The inbox filters from `req.query`: an unknown status, district or date is ignored rather than refused. */
export function parseInboxFilters(query: Record<string, unknown>): InboxFilters {
  const status = one(query.status);
  const district = one(query.district);
  const q = one(query.q).slice(0, 50);
  return {
    job: parseId(one(query.job)) ?? undefined,
    status: status in APPLICATION_STATUSES ? (status as ApplicationStatus) : undefined,
    from: validDate(one(query.from)),
    to: validDate(one(query.to)),
    district: (DISTRICTS as readonly string[]).includes(district) ? district : undefined,
    q: q || undefined,
  };
}

/** The filters as query parameters (for links, paging and the export link). */
export function filtersQuery(f: InboxFilters): Record<string, string | number | undefined> {
  return { job: f.job, status: f.status, from: f.from, to: f.to, district: f.district, q: f.q };
}

/** Ticked rows (`ids`, repeated) and the status to move them to. */
export const bulkStatusSchema = z.object({
  ids: z
    .union([z.string(), z.array(z.string())], { error: messages.ids })
    .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).map((x) => parseId(x)).filter((x): x is number => x !== null))])
    .refine((ids) => ids.length > 0, messages.ids),
  status: z.enum(BULK_STATUSES, { error: messages.status }),
});

export const noteSchema = z.object({
  body: z
    .string({ error: noteMessages.empty })
    .refine((v) => v.length > 0, noteMessages.empty)
    .refine((v) => [...v].length <= NOTE_MAX, noteMessages.tooLong),
});
