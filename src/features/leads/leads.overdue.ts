// Owns when a lead still 新线索 is overdue: more working minutes (the working-hours setting, China time, every
// day) have passed since it came in than the response-time setting allows. Time outside working hours does not count.
import { addDays, chinaDate } from '../../domain/dates';
import { WORKING_HOURS_RE } from '../site/settings.schema';

const MINUTE_MS = 60_000;
/** Past this many days any lead is overdue (and the loop below stays short). */
const MAX_DAYS = 60;

function chinaInstant(date: string, hhmm: string): number {
  return new Date(`${date}T${hhmm}:00+08:00`).getTime();
}

/** Working minutes between `from` and `to` within `hours` ('08:30-18:00') of each China day. */
export function workingMinutesBetween(from: Date, to: Date, hours: string): number {
  const m = WORKING_HOURS_RE.exec(hours);
  if (!m || to <= from) return 0;
  const [start, end] = [`${m[1]}:${m[2]}`, `${m[3]}:${m[4]}`];
  let total = 0;
  const last = chinaDate(to);
  let day = chinaDate(from);
  for (let i = 0; i <= MAX_DAYS && day <= last; i++, day = addDays(day, 1)) {
    const overlap = Math.min(to.getTime(), chinaInstant(day, end)) - Math.max(from.getTime(), chinaInstant(day, start));
    if (overlap > 0) total += overlap;
  }
  return Math.floor(total / MINUTE_MS);
}

export function isLeadOverdue(lead: { status: string; createdAt: Date }, now: Date, settings: { leadResponseMinutes: string; workingHours: string }): boolean {
  return lead.status === 'new' && workingMinutesBetween(lead.createdAt, now, settings.workingHours) > Number(settings.leadResponseMinutes);
}
