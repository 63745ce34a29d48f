// Owns the scam and discrimination screen of a job's text: fee words refuse a posting; discrimination words and
// off-platform contact words (加微信, QQ号, 扫码) flag it for the reviewer. Pure functions: the word lists come
// from the site settings.

/**
 * Text as it is matched: NFKC (full-width → half-width), lower case, and without the spaces and symbols
 * people put inside a word to slip past a filter (押 金, 押*金, 押_金). Sentence punctuation (,。、;:!?) stays,
 * so two words across a sentence break ("优质服务。费用全免") do not run together into 服务费.
 */
export function normalizeForScreening(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u200b-\u200f\u2060\ufeff*_\-·•.~|/\\'"`^+=#@&$%<>()[\]{}]/g, '');
}

/**
 * A fee word directly after one of these says there is NO such fee ("不收押金", "无需体检费", "免培训费",
 * "0押金", "不收取任何押金"), which honest employers write to reassure seekers, so it is not refused.
 * The same holds for a few negations directly behind the word ("押金全免", "体检费一律不收").
 * Nothing looser counts: "押金入职后退还" or "体检费公司报销" (pay now, maybe get it back later: a classic
 * scam) are still refused, and so is any other, un-negated mention in the same text.
 * A list continues a negation: in "不收押金、培训费" the 培训费 is negated too.
 */
const NEGATION_BEFORE =
  /(?:不收|不收取|不需|不需要|无需|无须|不用|不要|不交|免|免收|免除|免费|无|没有|零|(?<!\d)0)(?:任何|一切)?(?:交纳|缴纳|交|缴|支付|付|收取|收)?(?:任何|一切)?$/;
const NEGATION_AFTER = /^(?:全免|免收|不收|不收取|一律不收|一律免收|全部免除)/;
const LIST_SEPARATOR = /^[、,和及与或/]$/;

export type WordHit = { word: string; index: number };

/** Every occurrence of each word in already normalised text. */
function findWords(text: string, words: string[]): WordHit[] {
  const hits: WordHit[] = [];
  for (const raw of words) {
    const word = normalizeForScreening(raw);
    if (!word) continue;
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) hits.push({ word: raw, index: i });
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** The fee words in a text that are not negated, each once, in the order they appear. */
export function findFeeWords(text: string, feeWords: string[]): string[] {
  const t = normalizeForScreening(text);
  const found: string[] = [];
  let negatedUpTo = -1; // end of the last negated fee word, for lists: 不收押金、培训费
  for (const hit of findWords(t, feeWords)) {
    const before = t.slice(0, hit.index);
    const end = hit.index + normalizeForScreening(hit.word).length;
    const continuesList = negatedUpTo >= 0 && hit.index === negatedUpTo + 1 && LIST_SEPARATOR.test(t[negatedUpTo]!);
    if (NEGATION_BEFORE.test(before) || NEGATION_AFTER.test(t.slice(end)) || continuesList) {
      negatedUpTo = end;
      continue;
    }
    if (!found.includes(hit.word)) found.push(hit.word);
  }
  return found;
}

/**
 * The flag words in a text, each once. No negation rule: a flag only asks a person to look. A word found only
 * inside a longer word that was found too (加微 inside 加微信) is left out: the reviewer reads the longer one.
 */
export function findFlaggedWords(text: string, words: string[]): string[] {
  const t = normalizeForScreening(text);
  const hits = findWords(t, words).map((h) => ({ ...h, end: h.index + normalizeForScreening(h.word).length }));
  const inside = (h: (typeof hits)[number]) => hits.some((o) => o !== h && o.index <= h.index && o.end >= h.end && o.end - o.index > h.end - h.index);
  return [...new Set(hits.filter((h) => !inside(h)).map((h) => h.word))];
}

export type ScreenResult = {
  /** Field name → the fee words found in it: any entry refuses the posting. */
  feeWordsByField: Record<string, string[]>;
  /** All discrimination and off-platform contact words found, for the review queue. */
  flaggedWords: string[];
};

export type ScreenWordLists = { feeWords: string[]; discriminationWords: string[]; contactWords?: string[] };

/** Screens every free-text field of a posting. */
export function screenText(fields: Record<string, string | null | undefined>, lists: ScreenWordLists): ScreenResult {
  const flagWords = [...lists.discriminationWords, ...(lists.contactWords ?? [])];
  const feeWordsByField: Record<string, string[]> = {};
  const flagged = new Set<string>();
  for (const [name, value] of Object.entries(fields)) {
    if (!value) continue;
    const fees = findFeeWords(value, lists.feeWords);
    if (fees.length) feeWordsByField[name] = fees;
    for (const w of findFlaggedWords(value, flagWords)) flagged.add(w);
  }
  return { feeWordsByField, flaggedWords: [...flagged] };
}

/** All fee words of a screen, each once. */
export function allFeeWords(result: ScreenResult): string[] {
  return [...new Set(Object.values(result.feeWordsByField).flat())];
}
