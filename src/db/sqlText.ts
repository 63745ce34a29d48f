// Owns SQL written as text with its values (`$1`, `$2` … numbered when the statement is made), for the statements
// built anew on every uncached search: drizzle's builder spent about as long building the top-N search's 6 kB
// statement as PostgreSQL did planning it, and its code was still being compiled by V8 during a process's first
// searches (issue 21). Drizzle queries take the same pieces through `toDrizzle`, so an expression (a word's score,
// the listed condition) is written once for both.
import { getTableName, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { runStatement, type Db } from './client';

/** SQL text in pieces with the values between them: `parts` has one more element than `values`. */
export class SqlText {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** A value in `sqlText`: another piece of SQL (spliced in as is) or a value (a bound parameter). */
type Piece = SqlText | string | number | boolean | null;

/**
 * A template tag: `sqlText\`a = ${x}\`` binds x as a parameter; a SqlText inside is spliced in. No quoting
 * or parentheses are added, as with drizzle's `sql`.
 */
export function sqlText(strings: TemplateStringsArray, ...pieces: Piece[]): SqlText {
  const parts: string[] = [strings[0]!];
  const values: unknown[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece instanceof SqlText) {
      splice(parts, values, piece);
    } else {
      values.push(piece);
      parts.push('');
    }
    parts[parts.length - 1] += strings[i + 1]!;
  }
  return new SqlText(parts, values);
}

/** Text written into the statement as is: code's own constants only, never user input. */
export const rawText = (text: string): SqlText => new SqlText([text], []);

/** The pieces with `separator` between them. */
export function joinText(pieces: readonly SqlText[], separator: string): SqlText {
  if (!pieces.length) return rawText('');
  const parts: string[] = [...pieces[0]!.parts];
  const values: unknown[] = [...pieces[0]!.values];
  for (let i = 1; i < pieces.length; i++) {
    parts[parts.length - 1] += separator;
    splice(parts, values, pieces[i]!);
  }
  return new SqlText(parts, values);
}

/** Appends `piece` to the text being built: its first part continues the last one, its values and parts follow. */
function splice(parts: string[], values: unknown[], piece: SqlText): void {
  parts[parts.length - 1] += piece.parts[0]!;
  for (let j = 0; j < piece.values.length; j++) {
    values.push(piece.values[j]);
    parts.push(piece.parts[j + 1]!);
  }
}

/**
 * Conditions joined by `and` (or `or`) in parentheses, one condition as is: the text drizzle's and()/or() make. No
 * condition gives the operator's identity (`true` for and, `false` for or), not `()`, which is not SQL.
 */
const joinConditions = (conditions: readonly SqlText[], operator: 'and' | 'or'): SqlText => {
  if (conditions.length === 0) return rawText(operator === 'and' ? 'true' : 'false');
  return conditions.length === 1 ? conditions[0]! : sqlText`(${joinText(conditions, ` ${operator} `)})`;
};
export const andText = (conditions: readonly SqlText[]): SqlText => joinConditions(conditions, 'and');
export const orText = (conditions: readonly SqlText[]): SqlText => joinConditions(conditions, 'or');

/** A column as drizzle writes it in a query: `"table"."column"`. */
export const columnText = (column: AnyColumn): SqlText => rawText(`"${getTableName(column.table)}"."${column.name}"`);

/** `array[$1, $2, …]::text[]`: a text[] of bound parameters, for @>, && and = any(...). */
export const textArrayText = (values: readonly string[]): SqlText => sqlText`array[${joinText(values.map((v) => sqlText`${v}`), ', ')}]::text[]`;

/** The statement's text with its values numbered `$1`, `$2` …. */
export function statementOf(t: SqlText): { text: string; values: unknown[] } {
  let text = t.parts[0]!;
  for (let i = 1; i < t.parts.length; i++) text += `$${i}${t.parts[i]!}`;
  return { text, values: [...t.values] };
}

/** The same SQL for a drizzle query (which numbers its parameters itself). */
export function toDrizzle(t: SqlText): SQL {
  const chunks: SQL[] = [sql.raw(t.parts[0]!)];
  for (let i = 0; i < t.values.length; i++) chunks.push(sql`${sql.param(t.values[i])}`, sql.raw(t.parts[i + 1]!));
  return sql.join(chunks);
}

/** Runs the statement and gives its rows as the driver returns them (no drizzle mapping: names as in the SQL). */
export async function runText<T>(db: Db, t: SqlText): Promise<T[]> {
  const { text, values } = statementOf(t);
  return (await runStatement(db, text, values)).rows as T[];
}
