// Accounts from before phone checks keep working: migration 0008 gives each its phone or e-mail from its login
// (not verified), and at the next login it is asked, once, to verify the phone. Run on PGlite from the
// migrations as they were before this change, then the new ones, as an upgraded site would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { createApp } from '../src/app';
import { boot } from '../src/bootstrap';
import { parseConfig } from '../src/config';
import { openDb, queryRows, type DbHandle } from '../src/db/client';
import { hashPassword } from '../src/features/accounts/accounts.service';
import { createLogger } from '../src/logger';
import { MIGRATIONS_DIR } from '../src/paths';
import { TestClient } from './helpers/client';
import { isServerMode } from './helpers/db';

const embedded = isServerMode() ? describe.skip : describe;

embedded('an upgrade with accounts from before phone checks', () => {
  let handle: DbHandle;
  let client: () => TestClient;
  const dirs: string[] = [];

  beforeAll(async () => {
    // The migrations as they were before this change (0000–0007; accounts came in as 0008).
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-migrations-'));
    dirs.push(before);
    fs.cpSync(MIGRATIONS_DIR, before, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(before, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= 7);
    fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify(journal));
    handle = await openDb({ inMemory: true });
    await migrate(handle.db as never, { migrationsFolder: before });
    const hash = await hashPassword('old-password-1');
    await handle.db.execute(sql`insert into users (login, password_hash, role, display_name, policy_version) values
      ('13811110001', ${hash}, 'seeker', '老用户', '2000-01-01'),
      ('old.boss@example.com', ${hash}, 'employer', '老企业', '2000-01-01'),
      ('admin', ${hash}, 'admin', '老管理员', null)`);
    // The upgrade: the new migrations on top.
    await migrate(handle.db as never, { migrationsFolder: MIGRATIONS_DIR });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plw-upgrade-'));
    dirs.push(dataDir);
    const config = parseConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-test-secret', LOG_LEVEL: 'silent', SEED_DEMO: 'false', PRIVACY_POLICY_VERSION: '2000-01-01' });
    const { ctx } = await boot(config, createLogger('silent'), { dbHandle: handle, migrate: false, seed: false });
    const app = createApp(ctx);
    client = () => new TestClient(app);
  }, 120_000); // two migration runs on a fresh in-memory database: slow on a loaded CI machine
  afterAll(async () => {
    await handle?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('gives each account its phone or e-mail from its login, not verified', async () => {
    const rows = await queryRows<{ login: string; phone: string | null; email: string | null; phone_verified_at: Date | null; email_verified_at: Date | null }>(
      handle.db,
      sql`select login, phone, email, phone_verified_at, email_verified_at from users order by id`,
    );
    expect(rows).toEqual([
      { login: '13811110001', phone: '13811110001', email: null, phone_verified_at: null, email_verified_at: null },
      { login: 'old.boss@example.com', phone: null, email: 'old.boss@example.com', phone_verified_at: null, email_verified_at: null },
      { login: 'admin', phone: null, email: null, phone_verified_at: null, email_verified_at: null },
    ]);
  });

  it('logs in with the old password, asked once to verify the phone', async () => {
    const first = await client().login('13811110001', 'old-password-1');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/me/security/phone?prompt=1&next=%2Fme');
    expect((await client().login('13811110001', 'old-password-1')).headers.location).toBe('/me');
    expect((await client().login('OLD.BOSS@example.com', 'old-password-1')).headers.location).toMatch(/^\/me\/security\/phone\?prompt=1/);
    // An ADMIN_LOGIN that is neither a phone nor an e-mail keeps working too.
    expect((await client().login('admin', 'old-password-1')).status).toBe(303);
  });

  it('the check constraint now keeps a phone login and the phone column together', async () => {
    await expect(handle.db.execute(sql`insert into users (login, password_hash, role, display_name) values ('13811110009', 'x', 'seeker', '坏数据')`)).rejects.toThrow();
  });
});
