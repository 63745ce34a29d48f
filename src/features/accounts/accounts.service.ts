// Owns accounts: creating users with Argon2id hashes, checking passwords, admins, disabling.
import { hash, verify } from '@node-rs/argon2';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { consents, users } from '../../db/schema';
import { PRIVACY_POLICY_VERSION } from '../../domain/policy';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { recordAudit, type Actor } from '../audit/audit.service';
import { destroyUserSessions } from './session.store';
import { normalizeLogin } from './accounts.validation';

const messages = {
  loginTaken: '该手机号或邮箱已注册,请直接登录',
  cannotDisableSelf: '不能停用自己的账号',
  lastAdmin: '这是最后一个可用的管理员账号,不能停用',
};

export type Role = 'seeker' | 'employer' | 'admin';
export type UserRow = typeof users.$inferSelect;

/** Argon2id with the library's defaults (19 MiB, t=2): OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A fixed hash to verify against when the login does not exist, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword('timing-equaliser-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.login, normalizeLogin(login)));
  return row;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export type NewUser = { login: string; password: string; role: Role; displayName: string };

/**
 * Creates a user; seekers and employers also record their consent to the privacy policy in force.
 * A login already taken is a ValidationError on the login field (also when two signups race).
 */
export async function createUser(db: Db, input: NewUser & { consented: boolean; policyVersion?: string }): Promise<UserRow> {
  const version = input.policyVersion ?? PRIVACY_POLICY_VERSION;
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          login: normalizeLogin(input.login),
          passwordHash,
          role: input.role,
          displayName: input.displayName,
          policyVersion: input.consented ? version : null,
          policyAcceptedAt: input.consented ? sql`now()` : null,
        })
        .returning();
      if (input.consented) {
        await tx.insert(consents).values({ userId: user!.id, kind: 'privacy_policy', policyVersion: version });
      }
      return user!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ login: messages.loginTaken });
    throw err;
  }
}

export type AuthResult = { ok: true; user: UserRow } | { ok: false; reason: 'invalid' | 'disabled' };

/** Checks a login and password. A disabled account is told so only after the right password. */
export async function authenticate(db: Db, login: string, password: string): Promise<AuthResult> {
  const user = await findUserByLogin(db, login);
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) return { ok: false, reason: 'invalid' };
  if (user.status !== 'active') return { ok: false, reason: 'disabled' };
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
  return { ok: true, user };
}

/**
 * Creates an admin unless the login exists already (then nothing changes). Says which: `created`, `exists` (an
 * admin has it), or `taken` (a seeker or employer has it: the start must say so, or nobody learns why there is
 * no admin).
 */
export async function ensureAdmin(db: Db, login: string, password: string, displayName = '管理员'): Promise<'created' | 'exists' | 'taken'> {
  const existing = await findUserByLogin(db, login);
  if (existing) return existing.role === 'admin' ? 'exists' : 'taken';
  await createUser(db, { login, password, role: 'admin', displayName, consented: false });
  return 'created';
}

/** Disables or enables an account. Disabling ends its sessions at once. Admins cannot lock out the last admin. */
export async function setUserStatus(db: Db, actor: Actor, userId: number, status: 'active' | 'disabled'): Promise<UserRow> {
  if (status === 'disabled' && actor.id === userId) throw new ConflictError(messages.cannotDisableSelf);
  return db.transaction(async (tx) => {
    // Lock every admin row first, always in id order: two admins disabling each other at the same moment then
    // run one after the other (the second sees the first's change), instead of each counting the other as active.
    if (status === 'disabled') await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.id)).for('update');
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new NotFoundError();
    if (user.status === status) return user;
    if (status === 'disabled' && user.role === 'admin') {
      const others = await tx.$count(users, and(eq(users.role, 'admin'), eq(users.status, 'active'), ne(users.id, userId)));
      if (others === 0) throw new ConflictError(messages.lastAdmin);
    }
    const [updated] = await tx.update(users).set({ status, updatedAt: sql`now()` }).where(eq(users.id, userId)).returning();
    if (status === 'disabled') await destroyUserSessions(tx, userId);
    await recordAudit(tx, actor, {
      action: status === 'disabled' ? 'user.disable' : 'user.enable',
      targetType: 'user',
      targetId: userId,
      before: { status: user.status },
      after: { status },
    });
    return updated!;
  });
}

/** What the session carries about the user (no hash). */
export function toSessionUser(user: UserRow): Express.User {
  return { id: user.id, login: user.login, role: user.role, displayName: user.displayName, policyVersion: user.policyVersion };
}
