// A supertest agent that behaves like a browser: it keeps cookies and the CSRF token of the last page it saw.
import request from 'supertest';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent';

const TOKEN_RE = /name="_csrf" value="([^"]+)"/;

export class TestClient {
  readonly agent: TestAgent;
  csrf: string | undefined;

  constructor(readonly app: Express) {
    this.agent = request.agent(app);
  }

  private remember(res: request.Response): request.Response {
    const m = typeof res.text === 'string' ? TOKEN_RE.exec(res.text) : null;
    if (m) this.csrf = m[1];
    return res;
  }

  async get(path: string): Promise<request.Response> {
    return this.remember(await this.agent.get(path));
  }

  /** A page that always carries a token for this session: the login form when anonymous, any page when signed in. */
  async refreshCsrf(): Promise<string> {
    this.csrf = undefined;
    let res = await this.get('/login');
    // Signed in: /login sends you to your area, whose header carries the logout form and its token.
    if (res.status === 302) res = await this.get(res.headers.location!);
    if (!this.csrf) throw new Error(`no CSRF token found (status ${res.status})`);
    return this.csrf;
  }

  /** Posts a urlencoded form with the session's CSRF token (fetched if needed). */
  async post(path: string, form: Record<string, string | string[] | number | undefined> = {}): Promise<request.Response> {
    if (!this.csrf) await this.refreshCsrf();
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: this.csrf, ...form })) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((x) => body.append(k, x));
      else body.append(k, String(v));
    }
    return this.remember(await this.agent.post(path).type('form').send(body.toString()));
  }

  /** Posts multipart: the token goes in the query string, as the upload forms do. */
  async upload(
    path: string,
    fields: Record<string, string>,
    file?: { field: string; content: Buffer; filename: string; contentType?: string },
    options: { accept?: string } = {},
  ): Promise<request.Response> {
    if (!this.csrf) await this.refreshCsrf();
    const sep = path.includes('?') ? '&' : '?';
    let req = this.agent.post(`${path}${sep}_csrf=${encodeURIComponent(this.csrf!)}`);
    if (options.accept) req = req.set('Accept', options.accept);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach(file.field, file.content, { filename: file.filename, contentType: file.contentType ?? 'application/octet-stream' });
    return this.remember(await req);
  }

  async login(login: string, password: string): Promise<request.Response> {
    await this.refreshCsrf();
    const res = await this.post('/login', { login, password });
    // The session was regenerated: the old token is gone, take the new one from the next page.
    this.csrf = undefined;
    if (res.status === 303) await this.get(res.headers.location!);
    return res;
  }

  async logout(): Promise<request.Response> {
    const res = await this.post('/logout');
    this.csrf = undefined;
    return res;
  }
}
