// Gives each test file its own fresh, migrated database: a PGlite clone of the run's dump, or a server database from the template.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { openDb, quoteIdent, runAdminStatement, withDatabase, type DbHandle, type DbOptions } from '../../src/db/client';

export function isServerMode(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

/** Server mode: `pool` sets the connection pool (PGlite has one connection and ignores it). */
export type TestPoolOptions = Pick<DbOptions, 'poolMax' | 'poolMin' | 'idleTimeoutMs' | 'logQuery'>;

export async function createTestDbHandle(pool: TestPoolOptions = {}): Promise<DbHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `t_${process.env.TEST_RUN_ID}_${crypto.randomBytes(4).toString('hex')}`;
    await runAdminStatement(serverUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(process.env.TEST_TEMPLATE_DB!)}`);
    const handle = await openDb({ databaseUrl: withDatabase(serverUrl, name), connectTimeoutMs: 5000, ...pool });
    const close = handle.close.bind(handle);
    handle.close = async () => {
      await close();
      await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => {});
    };
    return handle;
  }
  const dump = fs.readFileSync(process.env.TEST_PGLITE_DUMP!);
  return openDb({ inMemory: true, loadDataDir: new Blob([dump]), logQuery: pool.logQuery });
}
