// Signup against a running server process (tests of processes and crashes), with the code read as a tester reads
// it: from /admin/outbox, signed in as the admin the process was started with (ADMIN_LOGIN/ADMIN_PASSWORD).
const TOKEN_RE = /name="_csrf" value="([^"]+)"/;

export const PROCESS_ADMIN = { login: 'process-admin@example.com', password: 'process-admin-pass-1' };
/** The environment that makes a started server create that admin. */
export const PROCESS_ADMIN_ENV = { ADMIN_LOGIN: PROCESS_ADMIN.login, ADMIN_PASSWORD: PROCESS_ADMIN.password };

type Page = { cookie: string; token: string };

async function page(base: string, path: string, cookie = ''): Promise<Page & { text: string }> {
  const res = await fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const set = res.headers.get('set-cookie');
  const text = await res.text();
  return { cookie: set ? set.split(';')[0]! : cookie, token: TOKEN_RE.exec(text)?.[1] ?? '', text };
}

async function post(base: string, path: string, from: Page, form: Record<string, string>): Promise<{ status: number; cookie: string }> {
  const res = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: from.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: from.token, ...form }).toString(),
  });
  await res.text();
  const set = res.headers.get('set-cookie');
  return { status: res.status, cookie: set ? set.split(';')[0]! : from.cookie };
}

/** The admin's session cookie on that server. */
export async function adminCookie(base: string): Promise<string> {
  const form = await page(base, '/login');
  const res = await post(base, '/login', form, { login: PROCESS_ADMIN.login, password: PROCESS_ADMIN.password });
  if (res.status !== 303) throw new Error(`admin login answered ${res.status}`);
  return res.cookie;
}

/** The newest signup code sent to `to`, from /admin/outbox. */
export async function codeFromOutbox(base: string, admin: string, to: string): Promise<string> {
  const outbox = await page(base, `/admin/outbox?to=${encodeURIComponent(to)}`, admin);
  const code = /验证码 (\d{6}),用于注册/.exec(outbox.text)?.[1];
  if (!code) throw new Error(`no signup code for ${to} in /admin/outbox`);
  return code;
}

/**
 * The signup form, step by step: the page (cookie and token), 获取验证码, the code from the outbox. Returns the
 * filled form to post, so a test can post it as it needs (all at once, or slowly).
 */
export async function signupFormWithCode(base: string, admin: string, fields: Record<string, string>): Promise<{ cookie: string; body: string }> {
  const form = await page(base, '/signup');
  const sent = await post(base, '/auth/code', form, { ...fields, purpose: 'signup' });
  if (sent.status !== 200) throw new Error(`code request answered ${sent.status}`);
  const code = await codeFromOutbox(base, admin, fields.login!);
  return { cookie: form.cookie, body: new URLSearchParams({ _csrf: form.token, ...fields, code }).toString() };
}
