// The view engine's two fast paths (issue 21): templates compiled without `with (locals)`, and pages drawn as
// UTF-8 bytes with their fragments encoded once. Both must give exactly what the plain render gives.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VIEWS_DIR } from '../src/paths';
import ejs from 'ejs';
import { escapeXml, fragmentOf, renderView, renderViewBytes } from '../src/web/viewEngine';

describe('the view engine', () => {
  let dir: string;
  /** A view file of this test, as a name `renderView` takes (relative to the views folder). */
  const view = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ejs`), text);
    return path.relative(VIEWS_DIR, path.join(dir, name));
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'view-engine-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads locals as `with` did: globals, shadowing, spreads, guards, includes and `locals` itself', () => {
    view('_part', '<i><%= label %>|<%= job.title %>|<%= open %></i>');
    const name = view(
      'semantics',
      [
        // A template's own const may share a local's name (main.ejs declares its names at the top).
        '<% const shown = `${title}!`; %><%= shown %><% if (count) { const title = "own"; %><%= title %><% } %>',
        '<%= JSON.stringify({ n: count }) %>|<%= Math.max(count, 2) %>',
        // A local named like a global is the local, as under `with`.
        '<%= escape %>',
        '<%= typeof missing !== "undefined" ? "has" : "none" %>',
        "<%- include('_part', { job: { ...job, title: 'copy' }, open: true }) %>",
        '<%= locals.count %><% for (const item of items) { %>[<%= item %>]<% } %>',
        '<%= "do not read \\"words\\" in strings as names: if (x) { y }" %>',
      ].join('\n'),
    );
    const html = renderView(name, { layout: false, title: '标题', count: 3, escape: 'mine', job: { title: '普工' }, label: '标签', items: ['a', '<b>'] });
    expect(html).toBe(
      ['标题!own', '{&#34;n&#34;:3}|3', 'mine', 'none', '<i>标签|copy|true</i>', '3[a][&lt;b&gt;]', 'do not read &#34;words&#34; in strings as names: if (x) { y }'].join('\n'),
    );
  });

  it('gives an include its data over the locals, through nested includes, as an object over the locals did', () => {
    // Innermost: data of both includes above it, the nearer winning; the page's locals under them; `locals` merged.
    view('_inner', '<b><%= a %>,<%= b %>,<%= c %>,<%= page %>,<%= locals.b %>,<%= typeof d %>,<%= Object.keys(locals.page ? { x: 1 } : {}).length %>,<%= locals.a %></b>');
    // Without data of its own: the data its includer was given.
    view('_middle', "<%- include('_plain') %><%- include('_inner', { b: 'middle-b', c: 'middle-c' }) %><%= b %>");
    view('_plain', '<s><%= a %>/<%= b %></s>');
    const name = view('nested', "<%- include('_middle', { a: 'outer-a', b: 'outer-b' }) %>|<%= a %>|<%= typeof b %>|<%- include('_plain') %>");
    const html = renderView(name, { layout: false, a: 'page-a', page: 'p' });
    expect(html).toBe(
      '<s>outer-a/outer-b</s><b>outer-a,middle-b,middle-c,p,middle-b,undefined,1,outer-a</b>outer-b|page-a|undefined|<s>page-a/</s>',
    );
  });

  it('finds a local used only inside a backtick string, after a quote that is not a string of its own', () => {
    // The quote in `it's` once opened a fake '…' string in the scan, hiding `name` and `count` after it.
    const name = view('quotes', "<%= `it's ${name}` %>|<%- `say \"${count}\"` %>|<%= /'/.test(name) ? 'q' : 'n' %>");
    expect(renderView(name, { layout: false, name: '张三', count: 2 })).toBe('it&#39;s 张三|say "2"|n');
  });

  it('names the template of an error', () => {
    const name = view('broken', '<%= job.title %>');
    expect(() => renderView(name, { layout: false })).toThrow(/broken\.ejs/);
  });

  it('draws a page as bytes equal to its text, with fragments made out of page order and inside one another', () => {
    const settings = { name: '鹏城' };
    const cards = [{ t: '普工 ✔' }, { t: '<搬运>' }, { t: 'plain' }];
    view('_card', '<li><%= card.t %> 😀</li>');
    const layout = view(
      'layout',
      "<header><%- fragment(settings, () => include('_header'), 'header') %></header><main><%- body %></main><footer><%- fragment(settings, () => '页脚 ©', 'footer') %></footer>",
    );
    view('_header', "<h1><%= settings.name %></h1><%- fragment(cards, () => 'inner 内', 'inner') %>");
    const page = view('page', "<p>职位 <%= title %></p><ul><% for (const card of cards) { %><%- fragment(card, () => include('_card', { card })) %><% } %></ul>");
    const locals = () => ({ layout: path.relative(path.join(VIEWS_DIR, 'layouts'), path.join(dir, 'layout')), settings, cards, title: '标题 & <b>', fragment: fragmentOf });
    expect(layout).toBeTruthy();
    const text = renderView(page, locals());
    expect(text).toContain('<header><h1>鹏城</h1>inner 内</header><main><p>职位 标题 &amp; &lt;b&gt;</p><ul><li>普工 ✔ 😀</li>');
    // Twice: the second draw takes every fragment's bytes from memory.
    for (let i = 0; i < 2; i++) {
      const bytes = renderViewBytes(page, locals());
      expect(bytes.equals(Buffer.from(text))).toBe(true);
    }
    // A page with no fragment at all, and one whose text holds U+0000 (it falls back to encoding the text).
    const bare = view('bare', '<p><%= title %></p>');
    expect(renderViewBytes(bare, { layout: false, title: '无碎片', fragment: fragmentOf }).toString()).toBe('<p>无碎片</p>');
    const odd = view('odd', "<%- fragment(settings, () => 'a', 'odd') %><%= title %>");
    expect(renderViewBytes(odd, { layout: false, settings, title: '\u00000;x', fragment: fragmentOf }).toString()).toBe('a\u00000;x');
  });

  it("escapes every value as ejs's escapeXML does", () => {
    const values: unknown[] = [undefined, null, '', 0, 12.5, false, true, 'plain', '普工 日结', `a&b<c>d"e'f`, '&amp;', '<<>>', new Date(0), ['x<', 'y'], { toString: () => '<obj>' }, 'x'.repeat(1000) + '<'];
    for (const value of values) expect(escapeXml(value)).toBe(ejs.escapeXML(value as string));
  });
});
