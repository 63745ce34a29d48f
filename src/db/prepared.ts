// Owns keeping one prepared statement per database handle: drizzle builds its SQL text once, and node-postgres
// sends it as a named statement that each connection parses and plans once (PGlite runs the same text).
import { Column, getTableName, is, SQL, Subquery } from 'drizzle-orm';
import type { Db } from './client';

/** `build` runs on the first use with a handle; later calls with the same handle get the same statement. */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}

/** What drizzle keeps on a prepared select (its `_prepare`): the selected fields in order and the left joins. */
type PreparedSelect = {
  fields?: { path: string[]; field: unknown }[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
};

type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * A prepared select whose rows are made by a function compiled once from its fields, with the same objects, keys,
 * order and values as drizzle's `mapResultRow`, which for every column of every row checked the field's class
 * (`is`, a walk up its prototypes) and iterated its path (`path.entries()`): about 5 % of a drawn job page's CPU
 * for its 46 columns (issue 21). Both drivers' prepared queries map rows through `customResultMapper` when set.
 */
export function withCompiledRowMapping<T extends object>(prepared: T): T {
  const select = prepared as PreparedSelect;
  if (!select.fields || select.customResultMapper !== undefined) return prepared;
  const map = compileRowMapper(select.fields, select.joinsNotNullableMap);
  select.customResultMapper = (rows) => rows.map(map);
  return prepared;
}

function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field as unknown as Decoder;
  // A `sql` field's decoder (drizzle's `SQL.decoder`, its `.mapWith()`), as mapResultRow finds it.
  type Decoded = { decoder: Decoder };
  if (is(field, SQL)) return (field as unknown as Decoded).decoder;
  if (is(field, Subquery)) return (field as unknown as { _: { sql: Decoded } })._.sql.decoder;
  return (field as { sql: Decoded }).sql.decoder;
}

/** One row (an array, in the fields' order) as drizzle's `mapResultRow` makes it. */
function compileRowMapper(fields: { path: string[]; field: unknown }[], joinsNotNullableMap: Record<string, boolean> | undefined): (row: unknown[]) => Record<string, unknown> {
  const decoders = fields.map(({ field }) => decoderOf(field));
  // The object literal of a row: nested objects where paths share a start, keys in the order drizzle sets them.
  type Shape = Map<string, Shape | number>;
  const shape: Shape = new Map();
  fields.forEach(({ path }, index) => {
    let node = shape;
    for (const key of path.slice(0, -1)) {
      let next = node.get(key);
      if (typeof next !== 'object') node.set(key, (next = new Map()));
      node = next;
    }
    node.set(path.at(-1)!, index);
  });
  const literal = (node: Shape): string =>
    `{${[...node].map(([key, value]) => `${JSON.stringify(key)}: ${typeof value === 'number' ? `(v = row[${value}]) === null ? null : d[${value}].mapFromDriverValue(v)` : literal(value)}`).join(', ')}}`;
  const build = new Function('d', `return function mapRow(row) { let v; return ${literal(shape)}; }`)(decoders) as (row: unknown[]) => Record<string, unknown>;
  // drizzle's rule for left joins: an object of columns (a path of two) that are all null, all of one joined table
  // that may be missing, is null itself.
  const nullable = joinsNotNullableMap
    ? fields.flatMap(({ path, field }, index) => (is(field, Column) && path.length === 2 ? [{ index, objectName: path[0]!, tableName: getTableName((field as Column).table) }] : []))
    : [];
  if (nullable.length === 0) return build;
  return (row) => {
    const result = build(row);
    const nullifyMap: Record<string, string | false> = {};
    for (const { index, objectName, tableName } of nullable) {
      const value = (result[objectName] as Record<string, unknown>)[fields[index]!.path[1]!];
      if (!(objectName in nullifyMap)) nullifyMap[objectName] = value === null ? tableName : false;
      else if (typeof nullifyMap[objectName] === 'string' && nullifyMap[objectName] !== tableName) nullifyMap[objectName] = false;
    }
    for (const [objectName, tableName] of Object.entries(nullifyMap)) if (typeof tableName === 'string' && !joinsNotNullableMap![tableName]) result[objectName] = null;
    return result;
  };
}
