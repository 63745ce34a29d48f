// Owns how values look on the page: dates in China time, pay with its unit, labels, masked phones.
import { JOB_STATUSES, JOB_TYPES, PAY_UNITS, SETTLEMENTS, type PayUnit } from '../domain/vocabulary';
import { chinaClock, type ChinaClock } from '../domain/dates';
import { maskPhone, maskPhonesIn, telHref } from '../domain/text';

function parts(d: Date | string | null | undefined): ChinaClock | null {
  if (!d) return null;
  const date = typeof d === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00+08:00` : d) : d;
  if (Number.isNaN(date.getTime())) return null;
  return chinaClock(date);
}

/** 2022年04月17日 */
export function dateCn(d: Date | string | null | undefined): string {
  const p = parts(d);
  return p ? `${p.y}年${p.m}月${p.d}日` : '';
}

/** 2022-04-17 */
export function dateIso(d: Date | string | null | undefined): string {
  const p = parts(d);
  return p ? `${p.y}-${p.m}-${p.d}` : '';
}

/** 2022-04-17 09:30 */
export function dateTime(d: Date | string | null | undefined): string {
  const p = parts(d);
  return p ? `${p.y}-${p.m}-${p.d} ${p.h}:${p.min}` : '';
}

/** 刚刚 / 5分钟前 / 3小时前 / 2天前 / the date */
export function ago(d: Date | string | null | undefined, now = new Date()): string {
  if (!d) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  const s = Math.floor((now.getTime() - date.getTime()) / 1000);
  if (s < 60) return '刚刚';
  if (s < 3600) return `${Math.floor(s / 60)}分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)}小时前`;
  if (s < 86400 * 7) return `${Math.floor(s / 86400)}天前`;
  return dateIso(date);
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** 220-260元/天, or 22元/小时 */
export function pay(min: number, max: number | null | undefined, unit: PayUnit): string {
  const amount = max && max !== min ? `${num(min)}-${num(max)}` : num(min);
  return `${amount}${PAY_UNITS[unit]}`;
}

export const format = {
  dateCn,
  dateIso,
  dateTime,
  ago,
  pay,
  maskPhone,
  maskPhonesIn,
  /** tel:075588828155 for a number as typed */
  tel: telHref,
  jobType: (t: keyof typeof JOB_TYPES) => JOB_TYPES[t],
  settlement: (s: keyof typeof SETTLEMENTS) => SETTLEMENTS[s],
  jobStatus: (s: keyof typeof JOB_STATUSES) => JOB_STATUSES[s],
  payUnit: (u: PayUnit) => PAY_UNITS[u],
  /** Keeps the current filters and changes some: for pagination and filter links. */
  query(base: Record<string, unknown>, changes: Record<string, unknown> = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...changes })) {
      if (v === undefined || v === null || v === '' || v === false) continue;
      if (Array.isArray(v)) v.forEach((x) => params.append(k, String(x)));
      else params.set(k, String(v));
    }
    const s = params.toString();
    return s ? `?${s}` : '';
  },
};
