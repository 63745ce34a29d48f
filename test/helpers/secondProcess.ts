// A second server process on its own PostgreSQL, with a database handle beside it: the tests that prove a cache is
// fresh across processes change data through `db` and read the other process's page at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db, type DbHandle } from '../../src/db/client';
import { startPgServer, type PgServer } from './pgServer';
import { startServer } from './processes';

export type SecondProcess = {
  /** The handle on the same database, for writes "from elsewhere". */
  readonly db: Db;
  /** The HTML of a page of the second process. */
  read(page: string): Promise<string>;
};

/** Registers the beforeAll/afterAll that start and stop the database and the server (demo data seeded). */
export function useSecondProcess(name: string): SecondProcess {
  let pg: PgServer | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let handle: DbHandle | undefined;

  beforeAll(async () => {
    pg = await startPgServer();
    // NODE_ENV=test: the page cache is on (it is off only in development).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `plw-${name}-b-`));
    server = await startServer({ DATABASE_URL: pg.url, DATA_DIR: dataDir, SEED_DEMO: 'true', NODE_ENV: 'test', SESSION_SECRET: 'second-process-secret' });
    handle = await openDb({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    await handle?.close();
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    pg?.destroy();
  });

  return {
    get db() {
      return handle!.db;
    },
    read: async (page) => (await fetch(`http://127.0.0.1:${server!.port}${page}`)).text(),
  };
}
