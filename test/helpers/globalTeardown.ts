// Removes what globalSetup made: the PGlite dump file, or the server's template and per-file databases.
import fs from 'node:fs';
import { openDb, quoteIdent, runAdminStatement } from '../../src/db/client';
import { sql } from 'drizzle-orm';

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_PGLITE_DUMP) fs.rmSync(process.env.TEST_PGLITE_DUMP, { force: true });
  const serverUrl = process.env.TEST_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (!serverUrl || !runId) return;
  const handle = await openDb({ databaseUrl: serverUrl });
  const result = await handle.db.execute(sql`select datname from pg_database where datname like ${`%${runId}%`}`);
  await handle.close();
  for (const row of (result as unknown as { rows: { datname: string }[] }).rows) {
    await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`).catch(() => {});
  }
}
