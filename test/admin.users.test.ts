// Admins and accounts: the user list (search, filters, masked logins, pages), a user's page, disabling and
// enabling with the audit trail, and the guards that keep at least one admin able to sign in.
import { eq } from 'drizzle-orm';
import { users } from '../src/db/schema';
import { setUserStatus } from '../src/features/accounts/accounts.service';
import { createTestApp, type TestApp } from './helpers/app';
import { auditEntries, flashes, follow } from './helpers/admin';
import type { TestClient } from './helpers/client';
import { makeUser, signedIn } from './helpers/factories';
import { mainOf, pageText } from './helpers/news';

let t: TestApp;
let admin: TestClient;
let adminId: number;

beforeAll(async () => {
  t = await createTestApp();
  const a = await signedIn(t, 'admin', { displayName: '值班管理员' });
  admin = a.client;
  adminId = a.user.id;
});
afterAll(() => t.close());

/** The rows of the list (the search box above it echoes the query). */
function tableOf(html: string): string {
  return /<tbody>[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? '';
}

async function statusOf(id: number) {
  const [row] = await t.ctx.db.select({ status: users.status }).from(users).where(eq(users.id, id));
  return row!.status;
}

describe('the user list', () => {
  it('finds a user by full login or by display name, but shows the login masked; the full login is on their page', async () => {
    const seeker = await makeUser(t.ctx, 'seeker', { login: '13712345678', displayName: '李小龙找工作' });
    for (const q of ['13712345678', '137 1234 5678', '李小龙']) {
      const res = await admin.get(`/admin/users?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const table = tableOf(res.text);
      expect(table).toContain(`href="/admin/users/${seeker.id}"`);
      expect(table).toContain('137****5678');
      expect(table).not.toContain('13712345678');
    }
    const detail = await admin.get(`/admin/users/${seeker.id}`);
    expect(detail.status).toBe(200);
    expect(mainOf(detail.text)).toContain('13712345678');
    expect(pageText(mainOf(detail.text))).toContain('求职者');
    expect((await admin.get('/admin/users/99999999')).status).toBe(404);
    expect((await admin.get('/admin/users/abc')).status).toBe(404);
  });

  it('masks an email login too, and finds it by its address', async () => {
    const u = await makeUser(t.ctx, 'employer', { login: 'zhang.san@example.com', displayName: '张三企业' });
    const res = await admin.get('/admin/users?q=zhang.san');
    expect(tableOf(res.text)).toContain(`/admin/users/${u.id}`);
    expect(tableOf(res.text)).toContain('zh***@example.com');
    expect(tableOf(res.text)).not.toContain('zhang.san@');
  });

  it('filters by role and by status, and ignores values it does not know', async () => {
    const employer = await makeUser(t.ctx, 'employer', { displayName: '筛选用企业' });
    const seeker = await makeUser(t.ctx, 'seeker', { displayName: '筛选用求职者' });
    const byRole = mainOf((await admin.get('/admin/users?role=employer')).text);
    expect(byRole).toContain(`/admin/users/${employer.id}"`);
    expect(byRole).not.toContain(`/admin/users/${seeker.id}"`);

    await setUserStatus(t.ctx.db, { id: adminId, login: 'x' }, seeker.id, 'disabled');
    const disabled = mainOf((await admin.get('/admin/users?status=disabled')).text);
    expect(disabled).toContain(`/admin/users/${seeker.id}"`);
    expect(disabled).not.toContain(`/admin/users/${employer.id}"`);

    const odd = await admin.get('/admin/users?role=root&status=%3Cx%3E&page=abc');
    expect(odd.status).toBe(200);
    expect(mainOf(odd.text)).toContain(`/admin/users/${employer.id}"`);
  });

  it('pages through 30 users a page; a page past the end is 404', async () => {
    for (let i = 0; i < 31; i++) await makeUser(t.ctx, 'seeker', { displayName: `分页用户${i}` });
    const first = await admin.get('/admin/users?q=分页用户');
    expect(first.text).toContain('共 <strong>31</strong> 个账号');
    expect(first.text).toContain('第 1 / 2 页');
    expect(first.text).toContain('href="/admin/users?q=%E5%88%86%E9%A1%B5%E7%94%A8%E6%88%B7&amp;page=2"');
    const second = await admin.get('/admin/users?q=分页用户&page=2');
    expect(second.status).toBe(200);
    expect((mainOf(second.text).match(/href="\/admin\/users\/\d+"/g) ?? []).length).toBe(1);
    expect((await admin.get('/admin/users?q=分页用户&page=3')).status).toBe(404);
  });
});

describe('disabling and enabling an account', () => {
  it('disables: the user is signed out at once, cannot sign in, and the change is audited with before/after', async () => {
    const { client: victimClient, user: victim } = await signedIn(t, 'seeker');
    expect((await victimClient.get('/')).text).toContain(victim.displayName);

    const res = await admin.post(`/admin/users/${victim.id}/disable`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${victim.id}`);
    const page = await follow(admin, res);
    expect(flashes(page.text)).toEqual([{ type: 'success', text: expect.stringContaining('已停用') }]);
    expect(page.text).toContain(`action="/admin/users/${victim.id}/enable"`);
    expect(await statusOf(victim.id)).toBe('disabled');

    // Their open session is gone, and the login form refuses them.
    expect((await victimClient.get('/')).text).not.toContain(victim.displayName);
    expect((await t.client().post('/login', { login: victim.login, password: 'correct-horse-9' })).status).not.toBe(303);

    const [entry] = await auditEntries(t.ctx, 'user.disable', victim.id);
    expect(entry).toMatchObject({ actorId: adminId, targetType: 'user', before: { status: 'active' }, after: { status: 'disabled' } });

    const again = await admin.post(`/admin/users/${victim.id}/enable`);
    expect(flashes((await follow(admin, again)).text)[0]!.type).toBe('success');
    expect(await statusOf(victim.id)).toBe('active');
    const [enabled] = await auditEntries(t.ctx, 'user.enable', victim.id);
    expect(enabled).toMatchObject({ before: { status: 'disabled' }, after: { status: 'active' } });
    // The user's page lists both actions.
    const detail = pageText(mainOf((await admin.get(`/admin/users/${victim.id}`)).text));
    expect(detail).toMatch(/管理员 \S+ 停用了用户「[^」]+」的账号/);
    expect(detail).toMatch(/管理员 \S+ 启用了用户「[^」]+」的账号/);
  });

  it('disabling an account that is already disabled changes nothing and writes no entry', async () => {
    const u = await makeUser(t.ctx, 'seeker');
    await admin.post(`/admin/users/${u.id}/disable`);
    const before = (await auditEntries(t.ctx, 'user.disable', u.id)).length;
    const res = await admin.post(`/admin/users/${u.id}/disable`);
    expect(flashes((await follow(admin, res)).text)).toEqual([{ type: 'info', text: '账号状态没有变化' }]);
    expect((await auditEntries(t.ctx, 'user.disable', u.id)).length).toBe(before);
  });

  it('an unknown user is 404', async () => {
    expect((await admin.post('/admin/users/99999999/disable')).status).toBe(404);
    expect((await admin.post('/admin/users/0/enable')).status).toBe(404);
  });

  it('refuses to disable yourself: a message on the page (not an error page), nothing changed, nothing audited', async () => {
    const res = await admin.post(`/admin/users/${adminId}/disable`);
    expect(res.status).toBe(303);
    const page = await follow(admin, res);
    expect(page.status).toBe(200);
    expect(flashes(page.text)).toEqual([{ type: 'error', text: '不能停用自己的账号' }]);
    expect(await statusOf(adminId)).toBe('active');
    expect(await auditEntries(t.ctx, 'user.disable', adminId)).toHaveLength(0);
    // The page offers no button to do it.
    expect(page.text).not.toContain(`action="/admin/users/${adminId}/disable"`);
  });

  it('two admins disabling each other at the same moment: one succeeds, the other is refused, one admin is left', async () => {
    const a = await signedIn(t, 'admin');
    const b = await signedIn(t, 'admin');
    // Only these two are active admins: take the others out of the picture.
    for (const other of await t.ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'))) {
      if (other.id !== a.user.id && other.id !== b.user.id) await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, other.id));
    }
    try {
      await Promise.all([a.client.refreshCsrf(), b.client.refreshCsrf()]);
      const [ra, rb] = await Promise.all([a.client.post(`/admin/users/${b.user.id}/disable`), b.client.post(`/admin/users/${a.user.id}/disable`)]);
      // The loser is refused: by the rule (a message), or because its session ended before its request was read
      // (no session, no CSRF token: 403, or a login redirect).
      for (const r of [ra, rb]) expect([302, 303, 403]).toContain(r.status);
      const statuses = [await statusOf(a.user.id), await statusOf(b.user.id)];
      expect(statuses.filter((s) => s === 'active')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'disabled')).toHaveLength(1);
    } finally {
      await t.ctx.db.update(users).set({ status: 'active' }).where(eq(users.role, 'admin'));
    }
  });

  it('the last active admin cannot be disabled by anyone (an operator at the command line included)', async () => {
    const lastAdmin = await makeUser(t.ctx, 'admin');
    await t.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.role, 'admin'));
    await t.ctx.db.update(users).set({ status: 'active' }).where(eq(users.id, lastAdmin.id));
    try {
      await expect(setUserStatus(t.ctx.db, { id: null, login: 'cli:root' }, lastAdmin.id, 'disabled')).rejects.toThrow('这是最后一个可用的管理员账号,不能停用');
      expect(await statusOf(lastAdmin.id)).toBe('active');
    } finally {
      await t.ctx.db.update(users).set({ status: 'active' }).where(eq(users.role, 'admin'));
    }
  });
});
