// Owns the small facts of search that are not the dictionary: district short names, the popular searches shown
// on an empty result, and inferring a job's kind of workplace from its text (for jobs saved without one).
import { DISTRICTS, WORKPLACES, type Workplace } from '../domain/vocabulary';

/** 南山区 and 南山, 大鹏新区 and 大鹏: people type both. */
export const DISTRICT_SHORT_NAMES: Record<string, string> = Object.fromEntries(DISTRICTS.map((d) => [d, d.replace(/(新区|区)$/, '')]));

const DISTRICT_WORDS: Record<string, string> = Object.fromEntries(DISTRICTS.flatMap((d) => [[d, d], [DISTRICT_SHORT_NAMES[d]!, d]]));

/** A district as typed in a filter (南山 or 南山区) → its full name, or undefined. */
export function districtOf(word: string): string | undefined {
  return DISTRICT_WORDS[word];
}

/** What people search most; shown when a search finds nothing. */
export const POPULAR_SEARCHES = ['普工', '日结', '分拣员', '服务员', '保安', '保洁', '搬运工', '快递员', '电子厂', '包吃住'];

/**
 * Words that place a job at a kind of workplace, most specific first. The same rules run in SQL for the jobs
 * saved before the field existed (migration "search"); keep them in step.
 */
export const WORKPLACE_RULES: [Workplace, RegExp][] = [
  ['电子厂', /电子厂|电子公司|电子科技|SMT|贴片|富士康|立讯/i],
  ['KTV', /KTV|歌厅|酒吧|夜场|会所|网吧|网咖/i],
  ['物流园', /物流园|物流中心|仓储中心|电商仓|快递站|分拨中心|转运中心|仓库/],
  ['写字楼', /写字楼|办公楼|大厦|商务楼/],
  ['商场超市', /商场|超市|卖场|便利店|购物中心|百货/],
  ['酒店', /酒店|宾馆|旅馆|民宿/],
  ['餐厅', /餐厅|饭店|餐馆|酒楼|快餐|火锅|奶茶|茶餐厅|食堂/],
  ['医院', /医院|诊所/],
  ['学校', /学校|校园|幼儿园/],
  ['工地', /工地|建筑|施工/],
  ['港口机场', /港口|码头|机场/],
  ['小区物业', /小区|物业|住宅/],
  ['工厂', /工厂|厂房|车间|流水线|[^电]厂/],
];

/** The workplace a job's title, address and description suggest; 其他 when none does. */
export function inferWorkplace(text: string): Workplace {
  for (const [workplace, re] of WORKPLACE_RULES) if (re.test(text)) return workplace;
  return '其他';
}

export const isWorkplace = (v: string): v is Workplace => (WORKPLACES as readonly string[]).includes(v);
