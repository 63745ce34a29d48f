// The only module that knows which PostgreSQL driver runs: embedded PGlite, or node-postgres against a server.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { DrizzleQueryError, sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';
import { acquireDataDirLock } from './lock';
import { MIGRATIONS_DIR } from '../paths';

// The package's type declarations for contrib/* are ESM-only although a CommonJS build ships beside them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export type Schema = typeof schema;
/** The database handle every feature uses; a transaction `tx` has the same type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export type DbOptions = {
  /** postgres:// URL: server mode. Unset: embedded PGlite. */
  databaseUrl?: string;
  /** Embedded mode: the data dir's parent (`DATA_DIR`); PGlite keeps its files in `<dataDir>/pglite`. */
  dataDir?: string;
  /** Embedded mode without files (tests): optionally start from a `dumpDataDir()` tarball. */
  inMemory?: boolean;
  loadDataDir?: Blob;
  poolMax?: number;
  /**
   * Server mode: connections the pool keeps open however long idle (pg-pool's `min`): the ones `warmConnections`
   * warmed, so that a visitor after a quiet night still meets a warm backend. Default 0.
   */
  poolMin?: number;
  /** Server mode: an idle connection above `poolMin` is closed after this long (default 30 s). */
  idleTimeoutMs?: number;
  /** Embedded mode: shared_buffers in MB (default 16; PostgreSQL's 128 is allocated in full at start). */
  embeddedSharedBuffersMb?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  onPoolError?: (err: Error) => void;
  /** Sees every query with its parameters (the benchmark's EXPLAIN tool). */
  logQuery?: (query: string, params: unknown[]) => void;
};

export type DbHandle = {
  db: Db;
  kind: DbKind;
  /** Throws when the database does not answer. */
  ping(timeoutMs?: number): Promise<void>;
  migrate(): Promise<void>;
  /**
   * Runs `warm` on `count` connections at once, each on its own (server mode; PGlite's one connection once): a new
   * PostgreSQL backend's first run of a statement loads its catalog caches first (6–8 ms for the search, issue 21).
   */
  warmConnections(count: number, warm: (db: Db) => Promise<void>): Promise<void>;
  /** Subscribes to NOTIFY on a channel (cache invalidation across processes). */
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  /** Embedded mode only: a tarball of the data dir (backups, fast test clones). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
};

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

function queryLogger(options: DbOptions) {
  return options.logQuery ? { logQuery: options.logQuery } : false;
}

export async function openDb(options: DbOptions): Promise<DbHandle> {
  return options.databaseUrl ? openServer(options.databaseUrl, options) : openEmbedded(options);
}

/**
 * PGlite's 9 MB of WebAssembly is compiled by V8 on as many threads as it likes (up to 128): each thread keeps its own
 * malloc arena, and the arenas stay (issue 21: 60–70 MB of the process's RSS at rest). One background thread uses
 * ~40 MB less, and less CPU in all; the main thread is busy loading the app's modules meanwhile anyway.
 */
function limitWasmCompileThreads(): void {
  v8.setFlagsFromString('--wasm-num-compilation-tasks=1');
}

async function openEmbedded(options: DbOptions): Promise<DbHandle> {
  let releaseLock = () => {};
  let dataDir: string | undefined;
  if (!options.inMemory) {
    if (!options.dataDir) throw new DatabaseOpenError('dataDir is required for the embedded database');
    releaseLock = acquireDataDirLock(options.dataDir);
    dataDir = path.join(options.dataDir, 'pglite');
    fs.mkdirSync(dataDir, { recursive: true });
  }
  limitWasmCompileThreads();
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir,
      loadDataDir: options.loadDataDir,
      extensions: { pg_trgm },
      // PGlite's defaults plus a smaller buffer cache: 128 MB of it was a third of the process's RSS at rest; 16 MB
      // served random job pages no slower than 32 MB (issue 21, docs/performance.md) and holds 20–28 MB less.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.embeddedSharedBuffersMb ?? 16}MB`],
    });
  } catch (err) {
    releaseLock();
    throw new DatabaseOpenError(
      `无法打开内嵌数据库 ${dataDir ?? '(memory)'}: ${(err as Error).message}. ` +
        '数据目录可能已损坏:请从备份恢复 (npm run db:restore -- <备份文件>),或换一个 DATA_DIR。',
    );
  }
  const db = drizzlePglite(client, { schema, logger: queryLogger(options) }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async ping() {
      if (closed) throw new DatabaseUnavailableError('database closed');
      await client.query('select 1');
    },
    async migrate() {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    async warmConnections(count, warm) {
      if (count > 0) await warm(db);
    },
    async listen(channel, onMessage) {
      await client.listen(channel, onMessage);
    },
    async dumpDataDir() {
      return client.dumpDataDir('none');
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        // A checkpoint flushes the WAL so the next start does not replay it.
        if (!options.inMemory) await client.exec('CHECKPOINT');
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

async function openServer(url: string, options: DbOptions): Promise<DbHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    // Without these, a request hangs forever when the server is gone.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    statement_timeout: options.statementTimeoutMs ?? 10000,
    min: Math.min(options.poolMin ?? 0, options.poolMax ?? 10),
    idleTimeoutMillis: options.idleTimeoutMs ?? 30000,
  });
  // An idle client's error (server restart) would otherwise crash the process.
  pool.on('error', (err) => options.onPoolError?.(err));
  // Drizzle takes a connection with pool.connect() for each transaction and does not wrap its failure: a pool
  // that cannot hand out a connection (refused, timed out) means the database is unavailable, whatever the text.
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = ((...args: unknown[]) => {
    if (args.length) return (connect as (...a: unknown[]) => unknown)(...args);
    return connect().catch((err: unknown) => {
      throw new DatabaseUnavailableError('no database connection could be had', { cause: err });
    });
  }) as typeof pool.connect;
  const db = drizzlePg(pool, { schema, logger: queryLogger(options) }) as unknown as Db;
  const listeners: pg.Client[] = [];
  let closed = false;
  return {
    db,
    kind: 'postgres',
    async ping(timeoutMs = 2000) {
      await withTimeout(pool.query('select 1'), timeoutMs);
    },
    async migrate() {
      // Several processes may start at once: only one applies migrations.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(72707369)');
        await migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query('select pg_advisory_unlock(72707369)').catch(() => {});
        client.release();
      }
    },
    async warmConnections(count, warm) {
      // Held all at once, so that each is a different connection.
      const got = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
      const clients = got.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        const failed = got.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
        await Promise.all(clients.map((client) => warm(drizzlePg(client, { schema, logger: queryLogger(options) }) as unknown as Db)));
      } finally {
        for (const client of clients) client.release();
      }
    },
    async listen(channel, onMessage) {
      await listenWithReconnect(url, channel, onMessage, listeners, () => closed, options.onPoolError);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(listeners.map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

/** A dedicated LISTEN connection that reconnects after the server comes back. */
async function listenWithReconnect(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  listeners: pg.Client[],
  isClosed: () => boolean,
  onError?: (err: Error) => void,
): Promise<void> {
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on('notification', (msg) => {
      if (msg.channel === channel) onMessage(msg.payload ?? '');
    });
    const retry = (err?: Error) => {
      if (err) onError?.(err);
      const i = listeners.indexOf(client);
      if (i >= 0) listeners.splice(i, 1);
      client.end().catch(() => {});
      if (!isClosed()) setTimeout(() => connect().catch(retry), 2000).unref();
    };
    client.on('error', retry);
    await client.connect();
    listeners.push(client);
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    // Whatever changed while we were disconnected is unknown: tell the listener to refresh.
    onMessage('');
  };
  await connect();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseUnavailableError(`database did not answer within ${ms} ms`)), ms);
    }),
  ]);
}

/** Sends NOTIFY on a channel; works the same on both drivers. */
export async function notify(db: Db, channel: string, payload = ''): Promise<void> {
  await db.execute(sql`select pg_notify(${channel}, ${payload})`);
}

/** The database did not answer: closed, a ping timed out, or no connection could be had. Always a 503. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

// SQLSTATE classes and codes that mean the server is unreachable or refusing work, not that the query was wrong:
// 08 connection exception, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
// Node's network error codes (system errors carry `syscall`).
const NETWORK_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * Errors that mean "the database is not answering" rather than a bug: they become 503, not 500.
 * Decided by error class and code only, never by message text: a message can carry what a user typed (Drizzle
 * puts the query's parameters into its own), so matching words in it would let anyone switch the site to 503.
 * - our own DatabaseUnavailableError (closed handle, ping timeout, no connection from the pool);
 * - a SQLSTATE of the connection or shutdown classes above; any other SQLSTATE is an answer from the server;
 * - a Node network error (ECONNREFUSED ...);
 * - a driver error under Drizzle's DrizzleQueryError that has no SQLSTATE and is not a programming error: the
 *   drivers (pg, PGlite) report a lost or unusable connection that way; what the server refuses has a SQLSTATE.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e = err as { code?: unknown; syscall?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    if (typeof e.syscall === 'string' && typeof e.code === 'string') return NETWORK_ERRNO.has(e.code);
    const state = sqlState(e);
    if (state) return UNAVAILABLE_SQLSTATE.test(state);
    if (e instanceof DrizzleQueryError) return isLostConnection(e.cause);
    e = e.cause as typeof e;
  }
  return false;
}

function sqlState(e: { code?: unknown }): string | undefined {
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !NETWORK_ERRNO.has(e.code) ? e.code : undefined;
}

// JavaScript's own error classes: a bug (a bad parameter value), not a connection. By name, since driver errors
// may come from another realm (Node's net module under Jest's VM), where instanceof does not see them.
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

/** The driver error under a failed query: a lost connection has neither a SQLSTATE nor a programming error's class. */
function isLostConnection(cause: unknown): boolean {
  if (!cause || typeof cause !== 'object') return false;
  const e = cause as { name?: unknown; code?: unknown; syscall?: unknown };
  if (typeof e.name === 'string' && PROGRAMMING_ERRORS.has(e.name)) return false;
  if (isDatabaseUnavailable(cause)) return true;
  return sqlState(e) === undefined && typeof e.syscall !== 'string';
}

/** A result as both drivers give it: the rows of the (last) statement. */
export type RawResult = { rows: Record<string, unknown>[] };

type DriverClient = {
  query(text: string, values?: unknown[]): Promise<RawResult | RawResult[]>;
  exec?(text: string): Promise<RawResult[]>;
};

/**
 * Runs pg-style SQL text (`$1`, `$2`, a parameter may be used twice) on a handle or inside a transaction `tx`,
 * through the driver under Drizzle: for libraries that bring their own SQL (the job queue). PGlite's query()
 * takes one statement, so parameterless text (possibly several statements) goes to exec(); the rows returned
 * are those of the last statement on both drivers.
 */
export async function executeSql(db: Db, text: string, values?: unknown[]): Promise<RawResult> {
  // Drizzle keeps the driver's client (the PGlite instance or transaction, the pg Pool or pool client) on its
  // session; it is the connection the transaction runs on, which is what a caller inside `tx` needs.
  const client = (db as unknown as { session: { client: DriverClient } }).session.client;
  if ((!values || values.length === 0) && client.exec) {
    const results = await client.exec(text);
    return results.at(-1) ?? { rows: [] };
  }
  const result = await client.query(text, values?.map((v) => (v === undefined ? null : v)));
  return Array.isArray(result) ? (result.at(-1) ?? { rows: [] }) : result;
}

/**
 * Runs one statement of pg-style SQL text with its values (`$1`, `$2` …) as drizzle runs its own: logged first by
 * the handle's query logger (`logQuery`), then sent through the driver (`executeSql`).
 */
export async function runStatement(db: Db, text: string, values: unknown[]): Promise<RawResult> {
  (db as unknown as { session: { logger: { logQuery(query: string, params: unknown[]): void } } }).session.logger.logQuery(text, values);
  return executeSql(db, text, values);
}

/** Server mode only: runs one statement on a maintenance connection (CREATE/DROP DATABASE for tests and tools). */
export async function runAdminStatement(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const quoteIdent = (name: string) => pg.escapeIdentifier(name);

/** Rows of a raw `sql` query, typed by the caller; the same on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Embedded mode: creates `<dataDir>/pglite` from a `dumpDataDir()` tarball (restore). The directory must not
 * hold a database already; the caller moves an old one aside.
 */
export async function restoreEmbeddedDataDir(dataDir: string, dump: Blob): Promise<void> {
  const target = path.join(dataDir, 'pglite');
  fs.mkdirSync(target, { recursive: true });
  if (fs.readdirSync(target).length > 0) throw new DatabaseOpenError(`${target} is not empty`);
  const client = await PGlite.create({ dataDir: target, loadDataDir: dump, extensions: { pg_trgm } });
  await client.exec('CHECKPOINT');
  await client.close();
}
