// Owns structured-data blocks for <head>: JSON that cannot break out of its <script> element.

/**
 * `<script type="application/ld+json">` with the data. `<`, `>` and `&` are written as \u escapes, so
 * "</script>" or "<!--" in user text stays inside the JSON string; U+2028/2029 are escaped for old parsers.
 */
export function jsonLdScript(data: unknown): string {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script type="application/ld+json">${json}</script>`;
}
