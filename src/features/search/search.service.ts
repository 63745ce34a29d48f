// Owns the admin's changes to the search dictionary: save or delete a word (audited, in one transaction), then
// re-index in the background only the jobs whose text holds one of the words concerned.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { searchTerms } from '../../db/schema';
import { NotFoundError } from '../../errors';
import type { Logger } from '../../logger';
import { ensureDictionary } from '../../search/dictionary';
import { startReindex } from '../../search/search.reindex';
import { recordAudit, type Actor } from '../audit/audit.service';
import type { TermInput } from './search.validation';

export type TermRow = typeof searchTerms.$inferSelect;

export async function listTerms(db: Db): Promise<TermRow[]> {
  return db.select().from(searchTerms).orderBy(asc(searchTerms.word));
}

export async function findTermByWord(db: Db, word: string): Promise<TermRow | undefined> {
  const [row] = await db.select().from(searchTerms).where(eq(searchTerms.word, word));
  return row;
}

const snapshot = (t: Pick<TermRow, 'word' | 'synonyms' | 'meanings'>) => ({ word: t.word, synonyms: t.synonyms, meanings: t.meanings });

/** Re-index the jobs holding any word of the old or new entry: their segmentation may change. */
async function afterChange(db: Db, logger: Logger, id: number, words: string[], at: Date): Promise<void> {
  await ensureDictionary(db);
  await startReindex(db, logger, `terms:${id}:${at.getTime()}`, [...new Set(words)]);
}

/** Adds the word, or replaces its synonyms and meanings when it is already there. */
export async function saveTerm(db: Db, logger: Logger, actor: Actor, input: TermInput, now: Date): Promise<TermRow> {
  const { row, before } = await db.transaction(async (tx) => {
    const [old] = await tx.select().from(searchTerms).where(eq(searchTerms.word, input.word)).for('update');
    const values = { synonyms: input.synonyms, meanings: input.meanings, updatedAt: now, updatedBy: actor.id };
    const [saved] = old
      ? await tx.update(searchTerms).set(values).where(eq(searchTerms.id, old.id)).returning()
      : await tx.insert(searchTerms).values({ word: input.word, ...values }).returning();
    await recordAudit(tx, actor, { action: 'search.term.save', targetType: 'search_term', targetId: String(saved!.id), before: old ? snapshot(old) : null, after: snapshot(saved!) });
    return { row: saved!, before: old };
  });
  await afterChange(db, logger, row.id, [row.word, ...row.synonyms, ...(before?.synonyms ?? [])], now);
  return row;
}

export async function deleteTerm(db: Db, logger: Logger, actor: Actor, id: number, now: Date): Promise<TermRow> {
  const row = await db.transaction(async (tx) => {
    const [old] = await tx.select().from(searchTerms).where(eq(searchTerms.id, id)).for('update');
    if (!old) throw new NotFoundError();
    await tx.delete(searchTerms).where(eq(searchTerms.id, id));
    await recordAudit(tx, actor, { action: 'search.term.delete', targetType: 'search_term', targetId: String(id), before: snapshot(old), after: null });
    return old;
  });
  await afterChange(db, logger, row.id, [row.word, ...row.synonyms], now);
  return row;
}
