// Page weight as a phone on a slow network pays for it: every request a fresh browser makes to show the home page
// and the job list (HTML, CSS, JS, images), in bytes over the wire (compressed bodies plus headers). Prints the
// figures and holds them under 100 KB; also checks that the assets are compressed, cached for a year under a
// versioned URL, and that nothing comes from another site (no CDN, nothing render-blocking from elsewhere).
import { newPage, useSiteAndBrowser } from './browser';

const BUDGET_BYTES = 100 * 1024;

const run = useSiteAndBrowser();

type Loaded = { url: string; type: string; bytes: number; encoding: string; cacheControl: string };

/** Loads the page in a fresh context (empty cache) and lists every response with its bytes over the wire. */
async function load(path: string): Promise<Loaded[]> {
  const { context, page } = await newPage(run.browser(), 'phone');
  const loaded: Promise<Loaded>[] = [];
  page.on('requestfinished', (request) => {
    loaded.push(
      (async () => {
        const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
        const headers = (await response?.allHeaders()) ?? {};
        return {
          url: request.url(),
          type: request.resourceType(),
          bytes: sizes.responseBodySize + sizes.responseHeadersSize,
          encoding: headers['content-encoding'] ?? 'identity',
          cacheControl: headers['cache-control'] ?? '',
        };
      })(),
    );
  });
  const response = await page.goto(`${run.site().baseUrl}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status()).toBe(200);
  const all = await Promise.all(loaded);
  await context.close();
  return all;
}

it.each(['/', '/jobs'])('%s weighs under 100 KB over the wire, compressed, with its assets cached for a year', async (path) => {
  const loaded = await load(path);
  const total = loaded.reduce((sum, r) => sum + r.bytes, 0);
  const lines = loaded.map((r) => `  ${r.type.padEnd(10)} ${String(r.bytes).padStart(7)} B  ${r.encoding.padEnd(8)} ${new URL(r.url).pathname}`);
  process.stdout.write(`\npage weight of ${path}: ${(total / 1024).toFixed(1)} KB over the wire in ${loaded.length} requests\n${lines.join('\n')}\n`);

  expect(loaded.map((r) => new URL(r.url).origin)).toEqual(loaded.map(() => run.site().baseUrl));
  const document = loaded.find((r) => r.type === 'document')!;
  expect(document.encoding).toMatch(/gzip|br/);
  for (const type of ['stylesheet', 'script']) {
    const asset = loaded.find((r) => r.type === type);
    expect(asset).toBeDefined();
    expect(new URL(asset!.url).searchParams.get('v')).toMatch(/^[0-9a-f]{10}$/);
    expect(asset!.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(asset!.encoding).toMatch(/gzip|br/);
  }
  expect(total).toBeLessThan(BUDGET_BYTES);
});
