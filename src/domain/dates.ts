// Owns calendar dates in China time: "today" for validity periods, and date arithmetic on YYYY-MM-DD strings.

const DAY_MS = 86_400_000;

/**
 * China time is UTC+8 all year (no daylight saving since 1991), so its wall clock is UTC's fields of the
 * instant moved by eight hours: plain arithmetic, where Intl.DateTimeFormat cost microseconds per date and a
 * job list formats dozens (issue 21). test/dates.test.ts checks it against Intl's Asia/Shanghai.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export type ChinaClock = { y: string; m: string; d: string; h: string; min: string };

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The wall-clock fields in Shanghai at that instant, zero-padded. */
export function chinaClock(at: Date): ChinaClock {
  const t = new Date(at.getTime() + CHINA_OFFSET_MS);
  return { y: String(t.getUTCFullYear()), m: two(t.getUTCMonth() + 1), d: two(t.getUTCDate()), h: two(t.getUTCHours()), min: two(t.getUTCMinutes()) };
}

/** The calendar date in Shanghai at that instant, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  const c = chinaClock(at);
  return `${c.y}-${c.m}-${c.d}`;
}

/** YYYY-MM-DD plus n days (n may be negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The end of that day in China, for schema.org validThrough. */
export function endOfChinaDay(date: string): string {
  return `${date}T23:59:59+08:00`;
}

/** The instant the China calendar day of `at` began (midnight in Shanghai): daily limits count from here. */
export function startOfChinaDay(at: Date): Date {
  return new Date(`${chinaDate(at)}T00:00:00+08:00`);
}
