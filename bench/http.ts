// Owns the benchmark's HTTP side: a keep-alive client that behaves like a browser (cookies, CSRF token),
// multipart bodies, a paced (open-loop) load generator for fixed-rate latency, and percentiles.
import http from 'node:http';

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number };

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function send(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Reply> {
  const url = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const TOKEN_RE = /name="_csrf" value="([^"]+)"/;

/** One signed-in visitor: keeps the session cookie and the CSRF token of the pages it saw. */
export class Browser {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'user-agent': 'bench-browser', ...(cookie ? { cookie } : {}), ...extra };
  }

  private remember(r: Reply): Reply {
    for (const c of ([] as string[]).concat(r.headers['set-cookie'] ?? [])) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const m = TOKEN_RE.exec(r.body.toString('utf8'));
    if (m) this.csrf = m[1]!;
    return r;
  }

  async get(path: string): Promise<Reply> {
    return this.remember(await send(this.base, path, { headers: this.headers() }));
  }

  async postForm(path: string, form: Record<string, string>): Promise<Reply> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    return this.remember(await send(this.base, path, { method: 'POST', body, headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }) }));
  }

  /** A multipart form with the token in the URL, as the site's upload forms send it. */
  async postMultipart(path: string, fields: Record<string, string>, file?: { field: string; name: string; type: string; content: Buffer }): Promise<Reply> {
    const { body, contentType } = multipart(fields, file);
    const sep = path.includes('?') ? '&' : '?';
    return this.remember(
      await send(this.base, `${path}${sep}_csrf=${encodeURIComponent(this.csrf)}`, { method: 'POST', body, headers: this.headers({ 'content-type': contentType, 'content-length': String(body.length) }) }),
    );
  }

  async login(login: string, password: string): Promise<void> {
    await this.get('/login');
    const r = await this.postForm('/login', { login, password });
    if (r.status !== 303) throw new Error(`login ${login} failed: ${r.status}`);
    // The session was regenerated at login: take the new token from a page with forms.
    await this.get('/me/resumes');
    if (!this.csrf) throw new Error(`no CSRF token after login ${login}`);
  }
}

export function multipart(fields: Record<string, string>, file?: { field: string; name: string; type: string; content: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** `requests`: each answered request's send time (`performance.now()`) and latency, to place a tail in time. */
export type PacedResult = { sent: number; ok: number; errors: number; firstError?: string; p50: number; p95: number; p99: number; achievedRate: number; requests: { at: number; ms: number }[] };

/**
 * Open-loop load: one request every 1/rate seconds whatever the answers do, so a slow server shows as
 * latency instead of lowering the rate (the coordinated-omission trap of closed-loop tools).
 */
export async function paced(base: string, paths: () => string, rate: number, seconds: number): Promise<PacedResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  const requests: { at: number; ms: number }[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const at = performance.now();
    inflight.push(
      send(base, paths(), { headers: { 'user-agent': 'bench-paced' } }).then(
        (r) => {
          if (r.status === 200) {
            latencies.push(r.ms);
            requests.push({ at, ms: r.ms });
          }
          else {
            errors++;
            firstError ??= `HTTP ${r.status}`;
          }
        },
        (err: Error) => {
          errors++;
          firstError ??= err.message;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { sent: total, ok: latencies.length, errors, firstError, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), achievedRate: total / elapsed, requests };
}
