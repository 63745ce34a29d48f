// Owns the talent pool's search document and ranking: a public online resume is searched with job search's
// machinery (the dictionary's synonyms and meanings, jieba segmentation, a weighted tsvector, keywordMatch.ts), its
// document kept on the talent_pool_members row, written in the transaction of the opt-in and of every resume save.
import { columnText, orText, sqlText, textArrayText, toDrizzle } from '../../db/sqlText';
import { and, asc, eq, gt, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { seekerProfiles, talentPoolMembers, type TermMeanings } from '../../db/schema';
import type { ResumeExperience } from '../../db/schema/seekers';
import { JOB_TYPES, PREFERRED_SETTLEMENTS } from '../../domain/vocabulary';
import { normalizeText } from '../../domain/text';
import { currentDictionary } from '../../search/dictionary';
import { DISTRICT_SHORT_NAMES } from '../../search/jobTerms';
import { fieldPart, fuzzyMatch, keywordMatch, num, queryWords, type FieldPart, type KeywordMatch, type SearchTarget } from '../../search/keywordMatch';
import { segmentQuery } from '../../search/segment';
import { containsPattern, weightedTsvector } from '../../search/tsvector';

// ----- The document -----------------------------------------------------------------------------------

type DocumentSource = {
  desiredCategories: string[];
  desiredTypes: string[];
  desiredDistricts: string[];
  preferredSettlement: string | null;
  certificates: string[];
  skills: string[];
  district: string;
  experiences: ResumeExperience[];
  intro: string;
};

const districtWords = (d: string) => [d, DISTRICT_SHORT_NAMES[d] ?? ''];
/** A vocabulary label (not onlineResume's labelOf: the resume's save imports this module). */
const label = (map: Record<string, string>, key: string | null) => (key && map[key]) || '';

/**
 * The text behind a public resume's search columns. A: what the seeker wants and holds (求职意向: categories, job
 * types, settlement, districts; certificates and skills), the counterpart of a job's title. B: where they live and
 * the roles they held. C: the self-introduction and what they did (never shown to employers, but searched).
 */
export function talentSearchTexts(p: DocumentSource): { sections: { A: string; B: string; C: string }; text: string } {
  const wants = [
    ...p.desiredCategories,
    ...p.desiredTypes.map((t) => label(JOB_TYPES, t)),
    label(PREFERRED_SETTLEMENTS, p.preferredSettlement),
    ...p.desiredDistricts.flatMap(districtWords),
    ...p.certificates,
    ...p.skills,
  ].join(' ');
  const facts = [...districtWords(p.district), ...p.experiences.flatMap((e) => [e.role, e.company])].join(' ');
  const body = [p.intro, ...p.experiences.map((e) => e.description)].join('\n');
  return { sections: { A: wants, B: facts, C: body }, text: normalizeText([wants, facts, body].join(' ')).toLowerCase() };
}

export function talentSearchColumns(p: DocumentSource) {
  const { sections, text } = talentSearchTexts(p);
  return { searchVector: weightedTsvector(sections), searchText: text };
}

const EMPTY_DOCUMENT: DocumentSource = { desiredCategories: [], desiredTypes: [], desiredDistricts: [], preferredSettlement: null, certificates: [], skills: [], district: '', experiences: [], intro: '' };

async function documentOf(tx: Db, userId: number): Promise<DocumentSource> {
  const [p] = await tx.select().from(seekerProfiles).where(eq(seekerProfiles.userId, userId));
  return p ?? EMPTY_DOCUMENT;
}

/** Opts in with the resume's search document, or refreshes it (call inside the caller's transaction). */
export async function writeTalentMember(tx: Db, userId: number): Promise<void> {
  const columns = talentSearchColumns(await documentOf(tx, userId));
  await tx.insert(talentPoolMembers).values({ userId, ...columns }).onConflictDoUpdate({ target: talentPoolMembers.userId, set: columns });
}

/**
 * After the resume changed, in its transaction: a public resume's document follows it at once; a seeker who is
 * not in the pool has no document (nothing is written).
 */
export async function refreshTalentDocument(tx: Db, userId: number): Promise<void> {
  const [member] = await tx.select({ userId: talentPoolMembers.userId }).from(talentPoolMembers).where(eq(talentPoolMembers.userId, userId)).for('update');
  if (member) await tx.update(talentPoolMembers).set(talentSearchColumns(await documentOf(tx, userId))).where(eq(talentPoolMembers.userId, userId));
}

const BATCH = 200;

/**
 * Re-segments the public resumes whose text holds one of `words` (a dictionary change), or, with `unindexed`, those
 * that have no document yet (rows from before the document existed). Batches in user id order.
 */
export async function reindexTalent(db: Db, scope: { words: string[] } | { unindexed: true }): Promise<number> {
  const concerned =
    'unindexed' in scope
      ? isNull(talentPoolMembers.searchText)
      : scope.words.length
        ? or(...scope.words.map((w) => sql`${talentPoolMembers.searchText} ilike ${containsPattern(w.toLowerCase())}`))
        : undefined;
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await db
      .select({ userId: talentPoolMembers.userId, profile: seekerProfiles })
      .from(talentPoolMembers)
      .leftJoin(seekerProfiles, eq(seekerProfiles.userId, talentPoolMembers.userId))
      .where(and(gt(talentPoolMembers.userId, after), concerned))
      .orderBy(asc(talentPoolMembers.userId))
      .limit(BATCH);
    if (!rows.length) return done;
    await db.transaction(async (tx) => {
      for (const { userId, profile } of rows) await tx.update(talentPoolMembers).set(talentSearchColumns(profile ?? EMPTY_DOCUMENT)).where(eq(talentPoolMembers.userId, userId));
    });
    done += rows.length;
    after = rows[rows.length - 1]!.userId;
  }
}

// ----- The ranking ------------------------------------------------------------------------------------

/** `column && array[...]`: the seeker's list shares a value with the word's meanings. */
const overlaps = (column: AnyColumn, values: string[]) => sqlText`${columnText(column)} && ${textArrayText(values)}`;

/**
 * The seeker's wishes a query word's meanings name: 叉车 (category 司机, 仓储分拣, 搬运装卸) matches a seeker who wishes
 * one of them; 日结 one who prefers daily pay; 宝安 one who lives or wants to work there. Benefits and workplaces
 * describe jobs, not people: no field of a resume holds them.
 */
function talentFieldParts(m: TermMeanings): FieldPart[] {
  const parts: FieldPart[] = [];
  if (m.category?.length) parts.push(fieldPart(overlaps(seekerProfiles.desiredCategories, m.category)));
  if (m.type?.length) parts.push(fieldPart(overlaps(seekerProfiles.desiredTypes, m.type)));
  if (m.settlement?.length) parts.push(fieldPart(sqlText`${columnText(seekerProfiles.preferredSettlement)} = any(${textArrayText(m.settlement)})`));
  if (m.district?.length) parts.push(fieldPart(orText([sqlText`${columnText(seekerProfiles.district)} = any(${textArrayText(m.district)})`, overlaps(seekerProfiles.desiredDistricts, m.district)])));
  return parts;
}

/**
 * Weights (docs/workspace.md): a word in what the seeker wants or holds (weight A: 求职意向, certificates, skills)
 * counts 1, a wish the word means (field) 1, the word anywhere (also the self-introduction and work history) 0.5.
 * A wish weighs 1 here, not job search's 2: a job's category is what the job is, a seeker's wished category only
 * a wish, and the 叉车证 holder must not fall below everyone who merely wishes to drive.
 */
export const TALENT_SCORE = { field: 1, primary: 1, text: 0.5 } as const;

const TALENT_TARGET: SearchTarget = {
  vector: columnText(talentPoolMembers.searchVector),
  text: columnText(talentPoolMembers.searchText),
  fields: talentFieldParts,
  weights: TALENT_SCORE,
};

/** The keyword part of a pool search: its words' match, or the substring fallback when no resume matches any word. */
export type TalentKeyword = { words: string[]; exactMatch: () => KeywordMatch; fuzzyMatch: () => KeywordMatch };

export function talentKeyword(q: string): TalentKeyword | undefined {
  const dictionary = currentDictionary();
  const words = segmentQuery(q, dictionary);
  if (!words.length) return undefined;
  return {
    words,
    exactMatch: () => keywordMatch(TALENT_TARGET, queryWords(words, dictionary)),
    fuzzyMatch: () => fuzzyMatch(columnText(talentPoolMembers.searchText), words, q.replace(/\s+/g, '')),
  };
}

/** A filter on a wish: the seeker wished it (fit 1) or left that wish empty, 不限 (fit 0, still shown); else not shown. */
export type SoftFilter = { where: SQL; fit: SQL };

export function wishFilter(stated: SQL, empty: SQL): SoftFilter {
  return { where: or(stated, empty)!, fit: sql`(case when ${stated} then 1 else 0 end)` };
}

export const sumFits = (fits: SQL[]): SQL => (fits.length ? sql`(${sql.join(fits, sql` + `)})` : toDrizzle(num(0)));
