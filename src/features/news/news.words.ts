// Owns the words of a headline, for "related articles": the search segmenter's words (jieba with the site's
// dictionary: one jieba per process) with generic words left out.
import { cutWords } from '../../search/segment';

// Words that nearly every government or HR headline contains: sharing them says nothing about the topic.
const GENERIC = new Set([
  '召开', '会议', '工作', '推进', '开展', '举行', '举办', '组织', '活动', '全面', '进一步', '加强', '做好', '实施',
  '关于', '我们', '一个', '一批', '情况', '问题', '有关', '相关', '进行', '部署', '全市', '全区', '全省', '全县',
]);

/** The distinct meaningful words of a title (two characters or more, or a number/Latin word of three). */
export function titleWords(title: string, max = 8): string[] {
  const words = new Set<string>();
  for (const raw of cutWords(title)) {
    const w = raw.trim();
    if (GENERIC.has(w)) continue;
    if (/^[\p{Script=Han}]{2,}$/u.test(w) || /^[\p{L}\p{N}]{3,}$/u.test(w)) words.add(w);
    if (words.size >= max) break;
  }
  return [...words];
}
