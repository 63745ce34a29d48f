// Owns the rules of the workspace's inputs: the inbox filters (lenient: a bad value is dropped, as in job search),
// the bulk status form, notes and interview invitations, with their Chinese messages.
import { z } from 'zod';
import { APPLICATION_STATUSES, DISTRICTS, type ApplicationStatus } from '../../domain/vocabulary';
import { LANDLINE_RE, MOBILE_RE, normalizePhone, normalizeText } from '../../domain/text';
import { parseId } from '../../web/forms';
import { INTERVIEW_ANSWERS, INTERVIEW_MODES, INTERVIEW_OUTCOMES, type InterviewMode } from './interviews.service';
import { NOTE_MAX } from './notes.service';
import type { InboxFilters } from './workspace.queries';

const messages = {
  ids: '请先勾选要处理的求职者',
  status: '请选择要改成的状态',
  template: '请选择一条不合适通知模板',
};

/**
 * What a bulk rejection may tell the seekers (the text goes into each one's site-inbox message). Fixed texts, so
 * nothing an employer types reaches many seekers at once.
 */
export const REJECT_TEMPLATES = {
  filled: { label: '岗位已招满', text: '感谢你的投递!该岗位已经招满,我们会保留你的信息,有合适的岗位再联系你。' },
  mismatch: { label: '条件不符', text: '感谢你的投递!经过评估,你的情况和该岗位的要求暂时不匹配,祝你早日找到合适的工作。' },
  schedule: { label: '时间不合适', text: '感谢你的投递!该岗位的上班时间和你方便的时间不一致,欢迎看看我们的其他职位。' },
  distance: { label: '距离较远', text: '感谢你的投递!该岗位的工作地点离你较远,建议看看离你更近的职位。' },
} as const;
export type RejectTemplate = keyof typeof REJECT_TEMPLATES;

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
  // Ticked rows (the bulk form's 导出选中, sent as GET with the form's other fields) are the whole selection:
  // the bulk form's `status` is the status to move to, not a filter.
  if (query.ids !== undefined) return { ids: parseIds(query.ids).slice(0, MAX_SELECTED) };
  return {
    certified: one(query.cert) === '1' || undefined,
    job: parseId(one(query.job)) ?? undefined,
    status: status in APPLICATION_STATUSES ? (status as ApplicationStatus) : undefined,
    from: validDate(one(query.from)),
    to: validDate(one(query.to)),
    district: (DISTRICTS as readonly string[]).includes(district) ? district : undefined,
    q: q || undefined,
  };
}

/** At most this many ticked rows count (a page holds 20; more is not a form the site made). */
const MAX_SELECTED = 200;

/** Ticked row ids (`ids`, one or repeated), distinct; anything that is not an id is dropped. */
function parseIds(raw: unknown): number[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return [...new Set(list.map((x) => (typeof x === 'string' ? parseId(x) : null)).filter((x): x is number => x !== null))];
}

/** The filters as query parameters (for links, paging and the export link). */
export function filtersQuery(f: InboxFilters): Record<string, string | number | undefined> {
  return { job: f.job, status: f.status, from: f.from, to: f.to, district: f.district, cert: f.certified ? 1 : undefined, q: f.q };
}

/**
 * Ticked rows (`ids`, repeated), the status to move them to and, for 不合适, an optional template
 * (its text goes to each seeker).
 */
export const bulkStatusSchema = z.object({
  ids: z
    .union([z.string(), z.array(z.string())], { error: messages.ids })
    .transform((v) => parseIds(v).slice(0, MAX_SELECTED))
    .refine((ids) => ids.length > 0, messages.ids),
  status: z.enum(BULK_STATUSES, { error: messages.status }),
  template: z
    .string()
    .optional()
    .refine((v) => !v || v in REJECT_TEMPLATES, messages.template)
    .transform((v) => (v ? (v as RejectTemplate) : undefined)),
});

export const noteSchema = z.object({
  body: z
    .string({ error: noteMessages.empty })
    .refine((v) => v.length > 0, noteMessages.empty)
    .refine((v) => [...v].length <= NOTE_MAX, noteMessages.tooLong),
});

const interviewMessages = {
  date: '请选择面试日期',
  time: '请选择面试时间(如 09:30)',
  mode: '请选择面试方式',
  place: '现场面试请填写地址',
  placeLong: '地址不能超过 100 个字',
  contactName: '请填写联系人(不超过 20 个字)',
  contactPhone: '请填写正确的联系电话(手机号或座机,如 0755-88828155)',
  note: '备注不能超过 200 个字',
  answer: '请选择接受、拒绝或希望改期',
  reply: '留言不能超过 100 个字',
  rescheduleReply: '希望改期时,请写下你方便的时间',
  outcome: '请选择面试结果',
};

const maxChars = (n: number) => (v: string) => [...v].length <= n;

/** The invitation form; the date and time are China time. The service checks that it is in the future. */
export const interviewSchema = z
  .object({
    date: z.string({ error: interviewMessages.date }).refine((v) => validDate(v) !== undefined, interviewMessages.date),
    time: z.string({ error: interviewMessages.time }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, interviewMessages.time),
    mode: z.enum(Object.keys(INTERVIEW_MODES) as [InterviewMode, ...InterviewMode[]], { error: interviewMessages.mode }),
    place: z.string().optional().default('').refine(maxChars(100), interviewMessages.placeLong),
    contactName: z.string({ error: interviewMessages.contactName }).refine((v) => v.length > 0 && [...v].length <= 20, interviewMessages.contactName),
    contactPhone: z
      .string({ error: interviewMessages.contactPhone })
      .transform(normalizePhone)
      .refine((v) => MOBILE_RE.test(v) || LANDLINE_RE.test(v), interviewMessages.contactPhone),
    note: z.string().optional().default('').refine(maxChars(200), interviewMessages.note),
  })
  .superRefine((v, c) => {
    if (v.mode === 'onsite' && !v.place) c.addIssue({ code: 'custom', path: ['place'], message: interviewMessages.place });
  })
  .transform(({ date, time, ...rest }) => ({ ...rest, startsAt: new Date(`${date}T${time}:00+08:00`) }));

export const answerSchema = z
  .object({
    answer: z.enum(INTERVIEW_ANSWERS, { error: interviewMessages.answer }),
    reply: z.string().optional().default('').refine(maxChars(100), interviewMessages.reply),
  })
  .superRefine((v, c) => {
    if (v.answer === 'reschedule' && !v.reply) c.addIssue({ code: 'custom', path: ['reply'], message: interviewMessages.rescheduleReply });
  });

export const outcomeSchema = z.object({ outcome: z.enum(INTERVIEW_OUTCOMES, { error: interviewMessages.outcome }) });
