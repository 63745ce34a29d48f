// Owns accounts: creating users with Argon2id hashes, finding them by phone, e-mail or login, checking and
// setting passwords, verified phones and e-mails, admins, disabling.
import { hash, verify } from '@node-rs/argon2';
import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { consents, users } from '../../db/schema';
import { PRIVACY_POLICY_VERSION } from '../../domain/policy';
import { EMAIL_RE, MOBILE_RE } from '../../domain/text';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { recordAudit, type Actor } from '../audit/audit.service';
import { destroyUserSessions } from './session.store';
import { normalizeLogin } from './accounts.validation';

const messages = {
  loginTaken: '该手机号或邮箱已注册,请直接登录',
  phoneTaken: '该手机号已绑定其他账号',
  emailTaken: '该邮箱已绑定其他账号',
  cannotDisableSelf: '不能停用自己的账号',
  lastAdmin: '这是最后一个可用的管理员账号,不能停用',
};

export type Role = 'seeker' | 'employer' | 'admin' | 'consultant';
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

/**
 * The account a person signs in as: by its phone, its e-mail or its login (an ADMIN_LOGIN may be neither).
 * The login check constraint keeps these unique across columns, so at most one row matches.
 */
export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const value = normalizeLogin(login);
  const [row] = await db
    .select()
    .from(users)
    .where(or(eq(users.login, value), eq(users.phone, value), eq(users.email, value)))
    .limit(1);
  return row;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export type NewUser = {
  login: string;
  /** Null: an account that signs in with codes until it sets a password (quick apply). */
  password: string | null;
  role: Role;
  displayName: string;
  /** A code just proved the login (phone or e-mail) is the user's. */
  loginVerified?: boolean;
  /** Not asked at first login to verify a phone (the admin named in the server's configuration). */
  skipPhonePrompt?: boolean;
};

/**
 * Creates a user; seekers and employers also record their consent to the privacy policy in force. A login that
 * is a phone or e-mail is also the account's phone or e-mail. A login already taken is a ValidationError on the
 * login field (also when two signups race).
 */
export async function createUser(db: Db, input: NewUser & { consented: boolean; policyVersion?: string }): Promise<UserRow> {
  const version = input.policyVersion ?? PRIVACY_POLICY_VERSION;
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  const login = normalizeLogin(input.login);
  const isPhone = MOBILE_RE.test(login);
  const isEmail = EMAIL_RE.test(login);
  const verifiedAt = input.loginVerified ? sql`now()` : null;
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          login,
          passwordHash,
          phone: isPhone ? login : null,
          phoneVerifiedAt: isPhone ? verifiedAt : null,
          email: isEmail ? login : null,
          emailVerifiedAt: isEmail ? verifiedAt : null,
          role: input.role,
          displayName: input.displayName,
          policyVersion: input.consented ? version : null,
          policyAcceptedAt: input.consented ? sql`now()` : null,
          phonePromptedAt: input.skipPhonePrompt ? sql`now()` : null,
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
 * Sets a new password hash (the caller checked the old password, or a code). Hash first, with hashPassword,
 * outside the transaction: Argon2 takes a while and a transaction should not wait on it.
 */
export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, userId));
}

/** A code sent to this phone or e-mail of the account came back: it is the user's. */
export async function markContactVerified(db: Db, userId: number, channel: 'sms' | 'email'): Promise<void> {
  await db
    .update(users)
    .set(channel === 'sms' ? { phoneVerifiedAt: sql`now()` } : { emailVerifiedAt: sql`now()` })
    .where(eq(users.id, userId));
}

/**
 * Gives the account a new verified phone or e-mail (a code to it came back). When the login was the old one, the
 * login follows, so signing in with the old number stops working. Another account's number is refused.
 * Returns the previous value.
 */
export async function changeContact(tx: Db, userId: number, channel: 'sms' | 'email', value: string): Promise<{ previous: string | null }> {
  const column = channel === 'sms' ? users.phone : users.email;
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!user) throw new NotFoundError();
  const previous = channel === 'sms' ? user.phone : user.email;
  const taken = await tx.$count(users, and(or(eq(column, value), eq(users.login, value)), ne(users.id, userId)));
  if (taken > 0) throw new ValidationError(channel === 'sms' ? { phone: messages.phoneTaken } : { email: messages.emailTaken });
  const loginFollows = previous !== null && user.login === previous;
  try {
    await tx
      .update(users)
      .set({
        ...(channel === 'sms' ? { phone: value, phoneVerifiedAt: sql`now()` } : { email: value, emailVerifiedAt: sql`now()` }),
        ...(loginFollows ? { login: value } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
  } catch (err) {
    // Two accounts claiming the same number at the same moment: the unique index decides.
    if (isUniqueViolation(err)) throw new ValidationError(channel === 'sms' ? { phone: messages.phoneTaken } : { email: messages.emailTaken });
    throw err;
  }
  return { previous };
}

/** The user was asked, at login, to verify their phone: not again. */
export async function markPhonePrompted(db: Db, userId: number): Promise<void> {
  await db.update(users).set({ phonePromptedAt: sql`now()` }).where(eq(users.id, userId));
}

/** An account from before phone checks that has not been asked yet: asked once, at login. */
export function needsPhonePrompt(user: UserRow): boolean {
  return !user.phoneVerifiedAt && !user.phonePromptedAt;
}

/**
 * Creates an admin unless the login exists already (then nothing changes). Says which: `created`, `exists` (an
 * admin has it), or `taken` (a seeker or employer has it: the start must say so, or nobody learns why there is
 * no admin).
 */
export async function ensureAdmin(db: Db, login: string, password: string, displayName = '管理员'): Promise<'created' | 'exists' | 'taken'> {
  const existing = await findUserByLogin(db, login);
  if (existing) return existing.role === 'admin' ? 'exists' : 'taken';
  try {
    // Not sent to the phone check at first login: with the default outbox driver its code could only be read on
    // /admin/outbox, behind that very login. The admin verifies a phone at /me/security when SMS is set up.
    await createUser(db, { login, password, role: 'admin', displayName, consented: false, skipPhonePrompt: true });
  } catch (err) {
    // Two processes starting together both found no admin: the second one's insert meets the first one's row.
    if (err instanceof ValidationError) return 'exists';
    throw err;
  }
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
  return {
    id: user.id,
    login: user.login,
    role: user.role,
    displayName: user.displayName,
    policyVersion: user.policyVersion,
    phoneVerified: Boolean(user.phone && user.phoneVerifiedAt),
    emailVerified: Boolean(user.email && user.emailVerifiedAt),
  };
}

/**
 * An admin makes a consultant (顾问) account (issue 22): staff of the dispatch company, made by an admin and so
 * not asked to accept the users' privacy policy. The account and its audit entry commit together.
 */
export async function createConsultant(db: Db, actor: Actor, input: { login: string; displayName: string; password: string }): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const user = await createUser(tx, { ...input, role: 'consultant', consented: false });
    await recordAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: user.id, after: { role: 'consultant', login: user.login, displayName: user.displayName } });
    return user;
  });
}
