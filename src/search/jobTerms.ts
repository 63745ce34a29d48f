// Owns what a search word means beyond its text: 南山 is a district, 临时工 a job type, 日结 a settlement.
// Such words match jobs by their fields as well as their text, and rank those jobs first.
import { CATEGORIES, DISTRICTS, type JobType, type Settlement } from '../domain/vocabulary';
import { DISTRICT_SHORT_NAMES } from './segment';

export type StructuralMeaning = { district?: string; type?: JobType; settlement?: Settlement; category?: string };

const TYPE_WORDS: Record<string, JobType> = {
  临时工: 'temp',
  临时: 'temp',
  零工: 'temp',
  短期工: 'temp',
  日结工: 'temp',
  兼职: 'parttime',
  小时工: 'parttime',
  钟点工: 'parttime',
  派遣: 'dispatch',
  劳务派遣: 'dispatch',
  全职: 'fulltime',
  正式工: 'fulltime',
  长期工: 'fulltime',
};

const SETTLEMENT_WORDS: Record<string, Settlement> = { 日结: 'daily', 周结: 'weekly', 月结: 'monthly', 完工结: 'completion' };

const CATEGORY_WORDS: Record<string, string> = {
  ...Object.fromEntries(CATEGORIES.filter((c) => c !== '其他').map((c) => [c, c])),
  分拣: '仓储分拣',
  分拣员: '仓储分拣',
  仓储: '仓储分拣',
  仓管: '仓储分拣',
  搬运: '搬运装卸',
  搬运工: '搬运装卸',
  装卸: '搬运装卸',
  装卸工: '搬运装卸',
  快递: '快递配送',
  快递员: '快递配送',
  配送: '快递配送',
  后厨: '餐饮后厨',
  帮厨: '餐饮后厨',
  促销: '促销导购',
  导购: '促销导购',
  电工: '电工技工',
  保安员: '保安',
  保洁员: '保洁',
  质检员: '质检',
};

const DISTRICT_WORDS: Record<string, string> = Object.fromEntries(
  DISTRICTS.flatMap((d) => [
    [d, d],
    [DISTRICT_SHORT_NAMES[d]!, d],
  ]),
);

/** The field meaning of one query word, or undefined for a plain word. */
export function structuralMeaning(word: string): StructuralMeaning | undefined {
  const meaning: StructuralMeaning = {};
  if (DISTRICT_WORDS[word]) meaning.district = DISTRICT_WORDS[word];
  if (TYPE_WORDS[word]) meaning.type = TYPE_WORDS[word];
  if (SETTLEMENT_WORDS[word]) meaning.settlement = SETTLEMENT_WORDS[word];
  if (CATEGORY_WORDS[word]) meaning.category = CATEGORY_WORDS[word];
  return Object.keys(meaning).length ? meaning : undefined;
}

/** A district as typed in a filter (南山 or 南山区) → its full name, or undefined. */
export function districtOf(word: string): string | undefined {
  return DISTRICT_WORDS[word];
}

/** What people search most; shown when a search finds nothing. */
export const POPULAR_SEARCHES = ['普工', '日结', '分拣员', '服务员', '保安', '保洁', '搬运工', '快递员', '电子厂', '包吃住'];
