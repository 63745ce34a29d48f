// Owns the dashboard's charts: what each one counts (one aggregate query each, kept briefly in memory) and their
// geometry, computed here as plain numbers and strings so the views draw inline SVG with escaped values only
// (no script, no style attributes: colours come from CSS classes).
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { applications, jobs, leads, users } from '../../db/schema';
import { addDays, chinaDate } from '../../domain/dates';
import { JOB_STATUSES, type JobStatus } from '../../domain/vocabulary';
import { countJobsByStatus } from '../jobs/jobs.queries';
import { countPendingJobsByAge, countPerDay, type DailySeries } from './admin.queries';

const messages = {
  queueAges: ['不到 1 小时', '1–6 小时', '6–24 小时', '1–3 天', '超过 3 天'],
};

/** How long a chart's numbers are kept: the dashboard is opened often, the counts change slowly. */
export const CHART_TTL_MS = 60_000;

export const DAILY_DAYS = 30;

/** The series of the daily chart, in the order drawn. A new one is one more entry: the query, the chart, its legend and its table follow. */
export const DAILY_SERIES: DailySeries[] = [
  { key: 'jobs', label: '新职位', table: jobs, at: jobs.createdAt },
  { key: 'applications', label: '投递', table: applications, at: applications.createdAt },
  // Signups are seekers and employers: staff accounts (admins, consultants) are made by admins.
  { key: 'signups', label: '注册', table: users, at: users.createdAt, where: inArray(users.role, ['seeker', 'employer']) },
  { key: 'leads', label: '用工需求', table: leads, at: leads.createdAt },
];

/** The review queue's age buckets, in hours: [from, to). */
export const QUEUE_AGE_BUCKETS: [number, number | null][] = [
  [0, 1],
  [1, 6],
  [6, 24],
  [24, 72],
  [72, null],
];

/** Keeps each chart's numbers for CHART_TTL_MS (by the app's clock, so tests can move past it). */
export class BriefCache {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs = CHART_TTL_MS) {}

  get<T>(key: string, now: Date, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now.getTime()) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { until: now.getTime() + this.ttlMs, value });
    // A failed load is not kept: the next request tries again.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

// ---- Geometry ----

/**
 * An SVG's text scales with it, so the daily chart comes in two sizes: a narrow one for phones and a wide one for
 * wider screens (CSS shows one), each with labels that come out near 12-14 px.
 */
export const LINE_SIZES = { narrow: { width: 400, height: 240, ticksEvery: 7 }, wide: { width: 900, height: 260, ticksEvery: 5 } } as const;
const PAD = { left: 36, right: 14, top: 12, bottom: 28 };

/**
 * A round top for a scale at or above the largest value: 4, 6, 8, 10, 20, 40, 60 ... (even, so the middle grid line
 * is a whole number too; at least 4, so a quiet month still shows its ones and twos).
 */
export function niceMax(max: number): number {
  const floor = Math.max(max, 4);
  const step = 10 ** Math.floor(Math.log10(floor));
  return [1, 2, 4, 6, 8, 10].map((m) => m * step).find((v) => v >= floor)!;
}

export type LineChart = {
  size: keyof typeof LINE_SIZES;
  width: number;
  height: number;
  days: string[];
  /** Every 5th day labelled on the x axis: [x, '11-02']. */
  xLabels: [number, string][];
  /** Grid lines with their values: [y, label]. */
  yGrid: [number, string][];
  series: { key: string; label: string; points: string; total: number; values: number[]; dots: [number, number, number][] }[];
  /** A sentence that says what the chart shows, for screen readers. */
  summary: string;
  plot: { left: number; right: number; top: number; bottom: number };
};

/** The daily chart from counts per series and day (days missing from the rows are 0). */
export function lineChart(
  rows: { series: string; day: string; n: number }[],
  today: string,
  size: keyof typeof LINE_SIZES = 'wide',
  days = DAILY_DAYS,
  series = DAILY_SERIES,
): LineChart {
  const { width: W, height: H, ticksEvery } = LINE_SIZES[size];
  const dayList = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
  const index = new Map(dayList.map((d, i) => [d, i]));
  const values = new Map(series.map((s) => [s.key, new Array<number>(days).fill(0)]));
  for (const r of rows) {
    const i = index.get(r.day);
    const v = values.get(r.series);
    if (i !== undefined && v) v[i] = r.n;
  }
  const top = niceMax(Math.max(0, ...[...values.values()].flat()));
  const plot = { left: PAD.left, right: W - PAD.right, top: PAD.top, bottom: H - PAD.bottom };
  const x = (i: number) => round(plot.left + ((plot.right - plot.left) * i) / Math.max(1, days - 1));
  const y = (v: number) => round(plot.bottom - ((plot.bottom - plot.top) * v) / top);
  const out = series.map((s) => {
    const v = values.get(s.key)!;
    return {
      key: s.key,
      label: s.label,
      values: v,
      total: v.reduce((a, b) => a + b, 0),
      points: v.map((n, i) => `${x(i)},${y(n)}`).join(' '),
      dots: v.flatMap((n, i) => (n > 0 ? [[x(i), y(n), n] as [number, number, number]] : [])),
    };
  });
  return {
    size,
    width: W,
    height: H,
    days: dayList,
    xLabels: dayList.flatMap((d, i) => ((days - 1 - i) % ticksEvery === 0 ? [[x(i), d.slice(5)] as [number, string]] : [])),
    yGrid: [0, top / 2, top].map((v) => [y(v), String(v)]),
    series: out,
    summary: `近 ${days} 天(${dayList[0]} 至 ${today}):${out.map((s) => `${s.label} ${s.total}`).join(',')}`,
    plot,
  };
}

export type BarChart = {
  width: number;
  rowHeight: number;
  height: number;
  labelWidth: number;
  bars: { label: string; value: number; width: number; y: number; href: string | null; cls: string }[];
  summary: string;
};

/** Horizontal bars, one row each, longest = full width; each bar may link to its list. */
export function barChart(items: { label: string; value: number; href: string | null; cls: string }[], title: string): BarChart {
  const width = 440;
  const labelWidth = 104;
  const rowHeight = 32;
  const max = Math.max(1, ...items.map((i) => i.value));
  const room = width - labelWidth - 56;
  return {
    width,
    rowHeight,
    labelWidth,
    height: rowHeight * items.length,
    bars: items.map((item, i) => ({ ...item, y: i * rowHeight, width: item.value ? Math.max(2, round((room * item.value) / max)) : 0 })),
    summary: `${title}:${items.map((i) => `${i.label} ${i.value}`).join(',')}`,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

// ---- The dashboard's three charts ----

const REVIEW_STATUSES: JobStatus[] = ['pending', 'published', 'rejected', 'closed', 'expired', 'draft'];

export type DashboardCharts = { daily: LineChart[]; byStatus: BarChart; queueAge: BarChart };

export function loadDashboardCharts(db: Db, cache: BriefCache, now: Date): Promise<DashboardCharts> {
  const today = chinaDate(now);
  return Promise.all([
    cache.get('daily', now, async () => {
      const rows = await countPerDay(db, DAILY_SERIES, addDays(today, 1 - DAILY_DAYS));
      return [lineChart(rows, today, 'narrow'), lineChart(rows, today, 'wide')];
    }),
    cache.get('byStatus', now, async () => {
      const counts = await countJobsByStatus(db);
      return barChart(
        REVIEW_STATUSES.map((s) => ({ label: JOB_STATUSES[s], value: counts[s], href: `/admin/jobs?status=${s}`, cls: `bar-${s}` })),
        '职位按状态',
      );
    }),
    cache.get('queueAge', now, async () => {
      const counts = await countPendingJobsByAge(db, now, QUEUE_AGE_BUCKETS);
      return barChart(
        QUEUE_AGE_BUCKETS.map((_, i) => ({ label: messages.queueAges[i]!, value: counts[i] ?? 0, href: '/admin/jobs?status=pending', cls: i >= 3 ? 'bar-late' : 'bar-pending' })),
        '待审核职位已等待',
      );
    }),
  ]).then(([daily, byStatus, queueAge]) => ({ daily, byStatus, queueAge }));
}
