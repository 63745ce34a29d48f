// Owns Chinese word segmentation for search: one jieba instance with a user dictionary of job terms,
// `cutForSearch` for documents and `cut` for queries, so both sides split words the same way.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { DISTRICTS } from '../domain/vocabulary';

/**
 * Words jieba's default dictionary splits badly (普工 → 普/工, 日结 → 日/结) or does not know.
 * A high frequency makes jieba prefer them over the split.
 */
const JOB_WORDS = [
  // job titles and kinds of work
  '普工', '操作工', '分拣', '分拣员', '仓管', '仓管员', '理货员', '打包员', '拣货员', '临时工', '小时工', '钟点工',
  '暑假工', '寒假工', '日结工', '短期工', '长期工', '正式工', '零工', '搬运工', '装卸工', '快递员', '外卖员', '骑手',
  '配送员', '服务员', '传菜员', '洗碗工', '帮厨', '厨师', '保安', '保安员', '保洁', '保洁员', '叉车', '叉车工',
  '质检员', '促销员', '导购员', '客服', '电工', '焊工', '家政', '月嫂', '育儿嫂', '司机', '跟车员', '学徒',
  '流水线', '电子厂', '物流园', '工业园', '科技园', '劳务派遣', '派遣', '兼职', '全职', '用工单位', '派遣单位',
  // pay and conditions
  '日结', '周结', '月结', '完工结', '包吃住', '包吃', '包住', '交社保', '五险一金', '有加班', '餐补', '交通补贴',
  '免费工装', '节日福利', '可长期', '长白班', '两班倒', '计件',
  // places job seekers search by
  '西乡', '福永', '沙井', '松岗', '石岩', '观澜', '布吉', '坂田', '横岗', '平湖', '公明', '前海', '蛇口', '华强北',
];

/** 南山区 and 南山, 大鹏新区 and 大鹏: people type both. */
export const DISTRICT_SHORT_NAMES: Record<string, string> = Object.fromEntries(
  DISTRICTS.map((d) => [d, d.replace(/(新区|区)$/, '')]),
);

function userDictionary(): Buffer {
  const words = new Set([...JOB_WORDS, ...DISTRICTS, ...Object.values(DISTRICT_SHORT_NAMES)]);
  return Buffer.from([...words].map((w) => `${w} 200000 n`).join('\n'), 'utf8');
}

let jieba: Jieba | undefined;

/** Built on first use (about 0.25 s), then shared by the whole process. */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(userDictionary());
  }
  return jieba;
}

/** Function words and search filler that only narrow a search without meaning (招聘 appears on every job). */
const STOP_WORDS = new Set([
  '的', '了', '和', '与', '及', '或', '在', '是', '有', '我', '你', '要', '想', '找', '求', '招', '招聘', '急招', '诚聘',
  '工作', '岗位', '职位', '附近', '深圳', '深圳市', '广东', '市', '人', '名', '个', '啊', '吗', '呢', '吧',
]);

/** Keeps tokens made only of letters and digits: no spaces, punctuation or tsquery operators. */
const WORD_RE = /^[\p{L}\p{N}]+$/u;

function clean(tokens: string[]): string[] {
  return tokens.map((t) => t.trim().toLowerCase()).filter((t) => t && WORD_RE.test(t));
}

/** Words of a document for its tsvector: every dictionary word and its sub-words, in order. */
export function segmentDocument(text: string): string[] {
  if (!text) return [];
  return clean(segmenter().cutForSearch(text.normalize('NFKC'), false));
}

/** The document's words joined by spaces: what `to_tsvector('simple', ...)` receives. */
export function documentWords(text: string): string {
  return segmentDocument(text).join(' ');
}

/** Meaningful words of a search query, in order, without repeats or stop words. */
export function segmentQuery(query: string): string[] {
  const text = query.normalize('NFKC').trim();
  if (!text) return [];
  const tokens = clean(segmenter().cut(text, false)).filter((t) => !STOP_WORDS.has(t));
  return [...new Set(tokens)];
}
