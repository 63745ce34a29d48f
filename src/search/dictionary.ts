// Owns the search dictionary (issue 19): the file src/search/dictionary.txt plus the rows admins add
// (search_terms), merged into concepts — a word's synonyms and the job fields it means. The same words feed
// jieba's user dictionary (segment.ts). Every process reloads it when the 'search_terms' generation moves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import { generationOf } from '../db/generations';
import { perDatabase } from '../db/prepared';
import { searchTerms, type TermMeanings } from '../db/schema';
import { BENEFITS, CATEGORIES, DISTRICTS, JOB_TYPES, SETTLEMENTS, WORKPLACES } from '../domain/vocabulary';
import { PROJECT_ROOT } from '../paths';

export const DICTIONARY_FILE = path.join(PROJECT_ROOT, 'src', 'search', 'dictionary.txt');

export const MEANING_FIELDS = ['category', 'type', 'settlement', 'benefit', 'workplace', 'district'] as const;
export type MeaningField = (typeof MEANING_FIELDS)[number];

/** The values a field accepts; a benefit value may be `包吃+包住` (the job must have both). */
export const FIELD_VALUES: Record<MeaningField, readonly string[]> = {
  category: CATEGORIES,
  type: Object.keys(JOB_TYPES),
  settlement: Object.keys(SETTLEMENTS),
  benefit: BENEFITS,
  workplace: WORKPLACES,
  district: DISTRICTS,
};

/** One line of the dictionary: its words are synonyms of each other and mean the same fields. */
export type Entry = { words: string[]; meanings: TermMeanings };

/** What one query word stands for: the text terms to look for, and the fields it names. */
export type Concept = { terms: string[]; meanings: TermMeanings };

export const normalizeWord = (w: string) => w.normalize('NFKC').trim().toLowerCase();

/** Parses the dictionary file's text; a malformed field is an error (the file ships with the code). */
export function parseDictionary(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [wordPart, fieldPart = ''] = line.split('|');
    const words = wordPart!.split(/\s+/).filter(Boolean);
    const meanings: TermMeanings = {};
    for (const f of fieldPart.split(/\s+/).filter(Boolean)) {
      const [field, values] = f.split('=') as [MeaningField, string | undefined];
      if (!MEANING_FIELDS.includes(field) || !values) throw new Error(`dictionary.txt line ${i + 1}: bad field "${f}"`);
      const list = values.split(',');
      for (const v of list) if (!v.split('+').every((part) => FIELD_VALUES[field].includes(part))) throw new Error(`dictionary.txt line ${i + 1}: unknown ${field} "${v}"`);
      meanings[field] = list;
    }
    if (words.length) entries.push({ words, meanings });
  }
  return entries;
}

/** The vocabulary's own labels mean their fields (普工 → category 普工, 日结 → settlement daily). */
function vocabularyEntries(): Entry[] {
  return [
    ...CATEGORIES.filter((c) => c !== '其他').map((c) => ({ words: [c], meanings: { category: [c] } })),
    ...Object.entries(JOB_TYPES).map(([k, label]) => ({ words: [label], meanings: { type: [k] } })),
    ...Object.entries(SETTLEMENTS).map(([k, label]) => ({ words: [label], meanings: { settlement: [k] } })),
    ...BENEFITS.map((b) => ({ words: [b], meanings: { benefit: [b] } })),
    ...WORKPLACES.filter((w) => w !== '其他').map((w) => ({ words: [w], meanings: { workplace: [w] } })),
    ...DISTRICTS.map((d) => ({ words: [d, d.replace(/(新区|区)$/, '')], meanings: { district: [d] } })),
  ];
}

export type AdminTerm = { word: string; synonyms: string[]; meanings: TermMeanings };

function mergeMeanings(a: TermMeanings, b: TermMeanings): TermMeanings {
  const out: TermMeanings = { ...a };
  for (const f of MEANING_FIELDS) if (b[f]?.length) out[f] = [...new Set([...(out[f] ?? []), ...b[f]!])];
  return out;
}

export class Dictionary {
  private readonly concepts = new Map<string, Concept>();
  /** Every word of every entry, as written (jieba's user dictionary). */
  readonly words: string[];
  /** Same words, same segmenter: a key for sharing one jieba between equal dictionaries. */
  readonly key: string;

  constructor(entries: Entry[], adminTerms: AdminTerm[] = []) {
    // An admin row replaces the file's entries for its head word: those lines lose that word.
    const replaced = new Set(adminTerms.map((t) => normalizeWord(t.word)));
    const all = [
      ...vocabularyEntries(),
      ...entries.map((e) => ({ ...e, words: e.words.filter((w) => !replaced.has(normalizeWord(w))) })),
      ...adminTerms.map((t) => ({ words: [t.word, ...t.synonyms], meanings: t.meanings })),
    ];
    for (const e of all) {
      const terms = [...new Set(e.words.map(normalizeWord))];
      for (const w of terms) {
        const old = this.concepts.get(w);
        this.concepts.set(w, old ? { terms: [...new Set([...old.terms, ...terms])], meanings: mergeMeanings(old.meanings, e.meanings) } : { terms, meanings: e.meanings });
      }
    }
    this.words = [...new Set(all.flatMap((e) => e.words))];
    this.key = adminTerms.map((t) => [t.word, ...t.synonyms].join(' ')).join('\n');
  }

  private versionHash?: string;

  /**
   * A digest of every concept (terms and meanings): equal dictionaries have equal versions, whatever changed them
   * (an admin's row, a new dictionary file). Saved searches record it to know when to compile their words again.
   */
  get version(): string {
    this.versionHash ??= crypto
      .createHash('sha256')
      .update(JSON.stringify([...this.concepts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
      .digest('base64url')
      .slice(0, 22);
    return this.versionHash;
  }

  /** The concept of a query word; a word the dictionary does not know stands for itself. */
  conceptOf(word: string): Concept {
    const w = normalizeWord(word);
    return this.concepts.get(w) ?? { terms: [w], meanings: {} };
  }

  has(word: string): boolean {
    return this.concepts.has(normalizeWord(word));
  }

  get size(): number {
    return this.concepts.size;
  }
}

let fileEntries: Entry[] | undefined;

/** The file's entries, read once per process. */
export function dictionaryFileEntries(): Entry[] {
  fileEntries ??= parseDictionary(fs.readFileSync(DICTIONARY_FILE, 'utf8'));
  return fileEntries;
}

let processDictionary: Dictionary | undefined;

/**
 * The dictionary documents are segmented with: the one last loaded from a database in this process (a process
 * has one database outside tests), else the file alone.
 */
export function currentDictionary(): Dictionary {
  processDictionary ??= new Dictionary(dictionaryFileEntries());
  return processDictionary;
}

export async function loadAdminTerms(db: Db): Promise<AdminTerm[]> {
  return db.select({ word: searchTerms.word, synonyms: searchTerms.synonyms, meanings: searchTerms.meanings }).from(searchTerms).orderBy(searchTerms.word);
}

type State = { dictionary?: Dictionary; generation?: number; loading?: Promise<Dictionary> };
const stateOf = perDatabase<State>(() => ({}));

/**
 * The dictionary of a database, current with its rows: one shared generation read per request (batched with the
 * page's other reads); the rows are read again only when the 'search_terms' generation moved, by any process.
 */
export async function ensureDictionary(db: Db, since?: number): Promise<Dictionary> {
  const state = stateOf(db);
  const generation = await generationOf(db, 'search_terms', since);
  if (state.dictionary && generation === state.generation) return state.dictionary;
  state.loading ??= loadAdminTerms(db)
    .then((terms) => {
      state.generation = generation;
      state.dictionary = new Dictionary(dictionaryFileEntries(), terms);
      processDictionary = state.dictionary;
      return state.dictionary;
    })
    .finally(() => {
      state.loading = undefined;
    });
  return state.loading;
}
