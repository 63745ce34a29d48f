// Reads what a test needs out of rendered pages: job ids in list order, a field's error, JSON-LD.

/** Ids of the job cards on a page, in the order shown. */
export function jobIdsIn(html: string): number[] {
  return [...html.matchAll(/<h3 class="job-title"><a href="\/jobs\/(\d+)(?:\?[^"]*)?">/g)].map((m) => Number(m[1]));
}

/** The error shown beside a form field (partials/field), or undefined. */
export function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`<p class="error" id="f-${field}-error">([^<]*)</p>`).exec(html);
  return m?.[1];
}

/** The value kept in a text input. */
export function inputValue(html: string, field: string): string | undefined {
  const m = new RegExp(`<input id="f-${field}" name="${field}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1];
}

/** Every JSON-LD block of a page, parsed. */
export function jsonLdBlocks(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}
