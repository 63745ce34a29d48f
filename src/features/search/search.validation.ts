// Owns the rules of the dictionary form at /admin/search: a word, its synonyms, and the fields it means.
import { z } from 'zod';
import type { TermMeanings } from '../../db/schema';
import { FIELD_VALUES, MEANING_FIELDS, type MeaningField } from '../../search/dictionary';
import { requiredText } from '../../web/formFields';
import { parseForm, type ParseResult } from '../../web/forms';

const messages = {
  word: '词语只能包含汉字、字母和数字,不能有空格或符号',
  synonyms: '同义词用空格或逗号隔开,每个只能包含汉字、字母和数字,最多 30 个',
  synonymTooLong: '每个同义词不能超过 20 个字',
  choose: '请从列表中选择',
  nothing: '请至少填写一个同义词,或选择一个含义',
};

const WORD_RE = /^[\p{L}\p{N}]+$/u;
export const MAX_SYNONYMS = 30;

/** The checkbox groups of the form: a field's values as the form lists them. */
const meaningField = (field: MeaningField) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(FIELD_VALUES[field] as [string, ...string[]], { error: messages.choose })).max(FIELD_VALUES[field].length));

const termSchema = z
  .object({
    word: requiredText('词语', 1, 20).refine((w) => WORD_RE.test(w), messages.word),
    synonyms: z
      .string()
      .optional()
      .default('')
      .transform((s) => [...new Set(s.split(/[\s,,、]+/).filter(Boolean))])
      .refine((list) => list.length <= MAX_SYNONYMS && list.every((w) => WORD_RE.test(w)), messages.synonyms)
      .refine((list) => list.every((w) => w.length <= 20), messages.synonymTooLong),
    category: meaningField('category'),
    type: meaningField('type'),
    settlement: meaningField('settlement'),
    benefit: meaningField('benefit'),
    workplace: meaningField('workplace'),
    district: meaningField('district'),
  })
  .superRefine((v, ctx) => {
    if (!v.synonyms.length && MEANING_FIELDS.every((f) => !v[f].length)) ctx.addIssue({ code: 'custom', path: ['synonyms'], message: messages.nothing });
  });

export type TermInput = { word: string; synonyms: string[]; meanings: TermMeanings };

export function parseTermForm(body: unknown): ParseResult<TermInput> {
  const parsed = parseForm(termSchema, body);
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  const meanings: TermMeanings = {};
  for (const f of MEANING_FIELDS) if (d[f].length) meanings[f] = d[f];
  return { ...parsed, data: { word: d.word.toLowerCase(), synonyms: d.synonyms.filter((s) => s.toLowerCase() !== d.word.toLowerCase()), meanings } };
}
