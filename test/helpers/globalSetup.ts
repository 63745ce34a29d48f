// Runs once per `jest` run: builds one migrated database that every test file copies (PGlite dump or server template).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, quoteIdent, runAdminStatement, withDatabase } from '../../src/db/client';

export default async function globalSetup(): Promise<void> {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  process.env.TEST_RUN_ID = runId;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `tpl_${runId}`;
    await runAdminStatement(serverUrl, `CREATE DATABASE ${quoteIdent(template)}`);
    const handle = await openDb({ databaseUrl: withDatabase(serverUrl, template) });
    await handle.migrate();
    await handle.close();
    process.env.TEST_TEMPLATE_DB = template;
    return;
  }
  const handle = await openDb({ inMemory: true });
  await handle.migrate();
  const dump = await handle.dumpDataDir!();
  await handle.close();
  const file = path.join(os.tmpdir(), `pglite-template-${runId}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.TEST_PGLITE_DUMP = file;
}
