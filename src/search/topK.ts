// Owns the proof behind the top-N search (issue 21): whether the best jobs among a bounded candidate set are the
// best of all matches. Pure arithmetic over the ranking's own weights (SCORE in jobs.queries.ts); no SQL here.
//
// Candidates are, for every "walkable" field a query word names (category, district, type, workplace: each has a
// `(field, published_at desc) where status = 'published'` index), its newest listed matches. A job outside the
// candidates either matches none of those fields, or matches them only below each walk's cutoff (older than its
// last candidate). From that, and the weights, comes the best key any unseen job could reach; when the k-th
// candidate's key beats it, the first k candidates are the first k of all matches, exactly.

/** The weights of the ranking (the same object as jobs.queries.ts SCORE). */
export type Weights = { field: number; title: number; text: number; freshness: number; freshnessDays: number; verified: number };

/** One field a word names: walkable (its values' walks are arms) or not (unconstrained: any job may have it). */
export type FieldPlan = { arms: number[] } | { arms: null };

/** One query word: its fields, and whether it has text terms (title and text scores) or only a raw phrase (text). */
export type WordPlan = { fields: FieldPlan[]; terms: boolean; phrase: boolean };

/**
 * A walk of one arm: `complete` when every listed match of it is a candidate; else `cutoffMs` bounds the rest.
 * `conjunction`: the arm of the jobs that match every word naming fields by one of its fields.
 */
export type ArmWalk = { complete: boolean; cutoffMs: number; conjunction?: boolean };

/** A job's place in the ranking: jobs matching every word first, then score, then newest, then highest id. */
export type RankKey = { all: boolean; score: number; publishedMs: number };

const EPSILON = 1e-9;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The freshness bonus of a job published at `publishedMs`, the same arithmetic as the SQL (China days). */
export function freshnessAt(publishedMs: number, today: string, w: Weights): number {
  if (!Number.isFinite(publishedMs)) return w.freshness;
  const publishedDay = Math.floor((publishedMs + CHINA_OFFSET_MS) / DAY_MS);
  const todayDay = Math.floor(Date.parse(`${today}T00:00:00Z`) / DAY_MS);
  const age = Math.max(0, todayDay - publishedDay);
  return w.freshness * Math.max(0, 1 - age / w.freshnessDays);
}

/**
 * The best key a job outside the candidates could have, or null when no such job can match at all. Every subset
 * of the unfinished arms is tried (a job matching an arm is older than its cutoff, so more arms means a higher
 * score but an older bound); arms are few (one per field value a query names).
 */
export function unseenBound(words: WordPlan[], walks: ArmWalk[], today: string, w: Weights): RankKey[] | null {
  const open = walks.map((a, i) => (a.complete || a.conjunction ? -1 : i)).filter((i) => i >= 0);
  if (open.length > 12) return null;
  // A job meeting an unconstrained field is not known to any walk: the conjunction then bounds nothing.
  const conjunctions = words.some((word) => word.fields.some((f) => f.arms === null)) ? [] : walks.filter((a) => a.conjunction);
  const bounds: RankKey[] = [];
  for (let mask = 0; mask < 1 << open.length; mask++) {
    const chosen = new Set(open.filter((_, b) => mask & (1 << b)));
    // The job has, for every word naming fields, one of them: it is in the conjunction's walk or older than it.
    const inConjunction = (): boolean => words.every((word) => !word.fields.length || word.fields.some((f) => f.arms?.some((a) => chosen.has(a))));
    const conjunction = conjunctions.length && inConjunction() ? conjunctions : [];
    if (conjunction.some((c) => c.complete)) continue;
    let score = 0;
    let all = true;
    let any = false;
    for (const word of words) {
      const fieldsMet = word.fields.filter((f) => f.arms === null || f.arms.some((a) => chosen.has(a))).length;
      const text = word.terms || word.phrase;
      const matched = fieldsMet > 0 || text;
      all &&= matched;
      any ||= matched;
      if (word.fields.length) score += (w.field * fieldsMet) / word.fields.length;
      if (word.terms) score += w.title;
      if (text) score += w.text;
    }
    if (!any) continue;
    const cutoffs = [...[...chosen].map((a) => walks[a]!.cutoffMs), ...conjunction.map((c) => c.cutoffMs)];
    const publishedMs = cutoffs.length ? Math.min(...cutoffs) : Infinity;
    bounds.push({ all, score: score + freshnessAt(publishedMs, today, w) + w.verified, publishedMs });
  }
  return bounds;
}

/**
 * Whether `key` ranks strictly before every bound. A bound's job is published at or before its cutoff, and its
 * id is unknown, so on an equal score `key` must be strictly newer.
 */
export function beatsAll(key: RankKey, bounds: RankKey[]): boolean {
  return bounds.every((b) => {
    if (key.all !== b.all) return key.all;
    if (key.score > b.score + EPSILON) return true;
    if (key.score < b.score - EPSILON) return false;
    return key.publishedMs > b.publishedMs;
  });
}

/** A cutoff so old that the freshness bonus is 0 (the epoch). */
const LONG_AGO_MS = 0;

/**
 * Whether walking deeper may still prove a page this round could not (the caller otherwise ranks every match at
 * once). Giving up is always correct, so this only has to be right often, and it is optimistic on purpose: every
 * unfinished arm that `mayEnd` (the planner expects it to be walked to its end) is taken as finished, and every
 * other cutoff as so old that freshness no longer counts. The `candidates` of this round (its first k, in order)
 * that beat even those bounds, scaled from this round's `share` of the deepest walk, estimate how many the deepest
 * round could have; fewer than half of `k`: no deeper round can be expected to prove it. Searches whose best tier is
 * rare in the walked rows (周结: titles seldom say it) stop here; 包吃住 (one title in ten names it) goes on.
 */
export function deeperMayProve(words: WordPlan[], walks: ArmWalk[], mayEnd: boolean[], candidates: RankKey[], share: number, k: number, today: string, w: Weights): boolean {
  const deepest = walks.map((a, i) => ({ ...a, complete: a.complete || mayEnd[i] === true, cutoffMs: LONG_AGO_MS }));
  const bounds = unseenBound(words, deepest, today, w);
  if (!bounds) return false;
  const beating = candidates.filter((key) => beatsAll(key, bounds)).length;
  return beating / share >= k / 2;
}
