// Owns what an article page shows of the other articles (上一篇/下一篇 and 相关资讯), from one in-memory list of
// the published articles per 'news' generation. Triggers raise that number in the transaction of every change to
// an article but its view count (migration 0006), and the list is used only under the number of a read made after
// the request arrived, so a publication, an edit or a withdrawal shows on the next page in every process.
// Before (issue 21): three queries per view, the related one scoring 2,000 titles with LIKE: 6 ms of PostgreSQL CPU.
import type { Db } from '../../db/client';
import { generationOf } from '../../db/generations';
import type { ArticleCategory } from '../../domain/vocabulary';
import { listPublishedArticleHeads, RELATED_POOL, type ArticleHead } from './news.queries';
import { titleWords } from './news.words';

/** Between titles: a word of a title never contains it, so no match spans two titles. */
const SEPARATOR = '\u0000';

export type Neighbour = { id: number; title: string };
export type RelatedArticle = { id: number; title: string; publishedAt: Date | null };

/** The published articles newest first, as the readers' lists order them (published_at desc nulls first, id desc). */
export class ArticleIndex {
  private readonly position = new Map<number, number>();
  /** Only articles with a publication time have neighbours (a row comparison with null matches nothing). */
  private readonly dated: ArticleHead[];
  private readonly datedPosition = new Map<number, number>();

  /** The titles of the pool (and one more), joined by a character no word has, and where each starts. */
  private readonly titles: string;
  private readonly starts: number[] = [];
  /** Positions of each category's articles, newest first. */
  private readonly byCategory = new Map<string, number[]>();

  constructor(private readonly heads: ArticleHead[]) {
    heads.forEach((head, i) => this.position.set(head.id, i));
    const pooled = heads.slice(0, RELATED_POOL + 1);
    let offset = 0;
    for (const [i, head] of pooled.entries()) {
      this.starts.push(offset);
      offset += head.title.length + 1;
      const list = this.byCategory.get(head.category);
      if (list) list.push(i);
      else this.byCategory.set(head.category, [i]);
    }
    this.titles = pooled.map((head) => head.title).join(SEPARATOR);
    this.dated = heads.filter((head) => head.publishedAt !== null);
    this.dated.forEach((head, i) => this.datedPosition.set(head.id, i));
  }

  /** The published articles just before (older) and after (newer) this one, in publication order. */
  adjacent(id: number): { prev?: Neighbour; next?: Neighbour } {
    const i = this.datedPosition.get(id);
    if (i === undefined) return {};
    const neighbour = (head: ArticleHead | undefined) => (head ? { id: head.id, title: head.title } : undefined);
    return { prev: neighbour(this.dated[i + 1]), next: neighbour(this.dated[i - 1]) };
  }

  /**
   * Related articles among the newest RELATED_POOL others: each title word it shares counts twice, the same
   * category once; unrelated ones (score 0) never show. Ties: newer first, as the query this replaced.
   * The pool's titles are one string, so a word is found by `indexOf` over all of them at once: comparing each
   * title with each word was 15 % of an article page's CPU.
   */
  related(article: { id: number; title: string; category: ArticleCategory }, limit: number): RelatedArticle[] {
    const self = this.position.get(article.id);
    // One more than the pool when the article itself is among the newest: it never counts.
    const poolEnd = Math.min(this.heads.length, RELATED_POOL + (self !== undefined && self <= RELATED_POOL ? 1 : 0));
    const wordHits = new Map<number, number>();
    for (const word of titleWords(article.title)) {
      for (const i of this.titlesContaining(word, poolEnd)) if (i !== self) wordHits.set(i, (wordHits.get(i) ?? 0) + 1);
    }
    const score = (i: number) => 2 * (wordHits.get(i) ?? 0) + (this.heads[i]!.category === article.category ? 1 : 0);
    // Sharing a word outscores sharing only the category (2 > 1); equal scores: newer (a lower position) first.
    const picked = [...wordHits.keys()].sort((a, b) => score(b) - score(a) || a - b).slice(0, limit);
    for (const i of this.byCategory.get(article.category) ?? []) {
      if (picked.length >= limit || i >= poolEnd) break;
      if (i !== self && !wordHits.has(i)) picked.push(i);
    }
    return picked.map((i) => {
      const head = this.heads[i]!;
      return { id: head.id, title: head.title, publishedAt: head.publishedAt };
    });
  }

  /** Positions (below `end`) of the titles that contain `word`, each once. */
  private titlesContaining(word: string, end: number): Set<number> {
    const found = new Set<number>();
    if (!word) return found;
    for (let at = this.titles.indexOf(word); at !== -1; at = this.titles.indexOf(word, at + 1)) {
      const i = this.titleAt(at);
      if (i >= end) break;
      found.add(i);
    }
    return found;
  }

  /** The position of the title holding character `offset` of `titles`. */
  private titleAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get size(): number {
    return this.position.size;
  }
}

type Built = { generation: number; index: Promise<ArticleIndex> };
const built = new WeakMap<Db, Built>();

/**
 * The index of the current 'news' generation, built once per generation (concurrent callers share the build).
 * `since`: the request's arrival (`performance.now()`); a generation read sent after it is current enough.
 */
export async function articleIndexOf(db: Db, since?: number): Promise<ArticleIndex> {
  const generation = await generationOf(db, 'news', since);
  const current = built.get(db);
  if (current && current.generation === generation) return current.index;
  // A generation lower than the kept one comes from an older read: build for it, but do not keep it.
  const index = listPublishedArticleHeads(db).then((heads) => new ArticleIndex(heads));
  if (!current || generation > current.generation) {
    built.set(db, { generation, index });
    index.catch(() => {
      if (built.get(db)?.index === index) built.delete(db);
    });
  }
  return index;
}
