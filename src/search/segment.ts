// Owns Chinese word segmentation for search: jieba with the search dictionary's words as its user dictionary
// (dictionary.ts), `cutForSearch` for documents and `cut` for queries, so both sides split words the same way.
import fs from 'node:fs';
import path from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { currentDictionary, type Dictionary } from './dictionary';

/**
 * jieba's own dictionary (5 MB), read when a segmenter is built and dropped after. `@node-rs/jieba/dict` would also
 * read idf.txt (6 MB, for keyword extraction, unused here) and keep both buffers for the life of the process (issue 21).
 */
export function jiebaDictionary(): Buffer {
  return fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt'));
}

/** A high frequency makes jieba prefer a dictionary word (普工, 拣货, 周结工) over its split (普/工). */
function userDictionary(words: string[]): Buffer {
  return Buffer.from(words.filter((w) => !/\s/.test(w)).map((w) => `${w} 200000 n`).join('\n'), 'utf8');
}

/** One jieba per distinct word list (about 0.25 s to build): equal dictionaries share it. */
const segmenters = new Map<string, Jieba>();

function segmenter(d: Dictionary): Jieba {
  let jieba = segmenters.get(d.key);
  if (!jieba) {
    jieba = Jieba.withDict(jiebaDictionary());
    jieba.loadDict(userDictionary(d.words));
    // An admin's change makes a new one; the old ones are not used again.
    if (segmenters.size > 4) segmenters.delete(segmenters.keys().next().value!);
    segmenters.set(d.key, jieba);
  }
  return jieba;
}

/**
 * jieba's plain cut of a text with the site's dictionary, punctuation included (headline words for related articles):
 * the same segmenter as search, so a process holds one jieba (30 MB) instead of two (issue 21).
 */
export function cutWords(text: string, d: Dictionary = currentDictionary()): string[] {
  return segmenter(d).cut(text, false);
}

/** Builds the segmenter and the dictionary now (at start), so the first search is as fast as the rest. */
export function warmSegmenter(): void {
  segmentQuery('深圳电子厂普工日结包吃住');
}

/** Function words and search filler that only narrow a search without meaning (招聘 appears on every job). */
const STOP_WORDS = new Set([
  '的', '了', '和', '与', '及', '或', '在', '是', '有', '我', '你', '要', '想', '找', '求', '招', '招聘', '急招', '诚聘',
  '工作', '岗位', '职位', '附近', '深圳', '深圳市', '广东', '市', '人', '名', '个', '啊', '吗', '呢', '吧', '做', '干',
  '份', '一份', '哪里', '有没有', '请问', '最近', '今天', '明天', '马上', '直招', '急聘', '高薪', '工资', '上班',
]);

/** Keeps tokens made only of letters and digits: no spaces, punctuation or tsquery operators. */
const WORD_RE = /^[\p{L}\p{N}]+$/u;

function clean(tokens: string[]): string[] {
  return tokens.map((t) => t.trim().toLowerCase()).filter((t) => t && WORD_RE.test(t));
}

/** Words of a document for its tsvector: every dictionary word and its sub-words, in order. */
export function segmentDocument(text: string, d: Dictionary = currentDictionary()): string[] {
  if (!text) return [];
  return clean(segmenter(d).cutForSearch(text.normalize('NFKC'), false));
}

/** The document's words joined by spaces: what `to_tsvector('simple', ...)` receives. */
export function documentWords(text: string, d?: Dictionary): string {
  return segmentDocument(text, d).join(' ');
}

const SINGLE_HAN = /^\p{Script=Han}$/u;

/**
 * Runs of single Chinese characters are the pieces of a word jieba does not know (拣/货 before 拣货 was in the
 * dictionary) or of one typed with spaces (普 工): joined back into one word.
 */
function joinSingles(tokens: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const t of tokens) {
    if (SINGLE_HAN.test(t)) {
      run += t;
      continue;
    }
    if (run) out.push(run);
    run = '';
    if (t.trim()) out.push(t);
  }
  if (run) out.push(run);
  return out;
}

/** Meaningful words of a search query, in order, without repeats or stop words. */
export function segmentQuery(query: string, d: Dictionary = currentDictionary()): string[] {
  const text = query.normalize('NFKC').trim();
  if (!text) return [];
  const tokens = clean(segmenter(d).cut(text, false)).filter((t) => !STOP_WORDS.has(t));
  return [...new Set(joinSingles(tokens))];
}

/** A query word no segmenter split would produce in a document (joined single characters): match it as a substring. */
export function isUnknownPhrase(word: string, d: Dictionary = currentDictionary()): boolean {
  return [...word].length >= 2 && !d.has(word) && segmenter(d).cut(word, false).every((t) => SINGLE_HAN.test(t));
}
