// Small helpers for tests that watch something happen after a response: polling, raw cookies.
import type { TestClient } from './client';

/** Retries `check` until it stops throwing (or `timeoutMs` passes, then throws its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The client's cookies as a Cookie header, for raw node:http requests made as the same browser. */
export function cookieHeader(client: TestClient): string {
  const jar = (client.agent as unknown as { jar: { getCookies(info: object): { toValueString(): string } } }).jar;
  return jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).toValueString();
}
