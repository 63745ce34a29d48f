// The article allow-list and the date formats articles arrive in (pure functions, no database).
import { htmlToText, sanitizeArticleHtml } from '../src/features/news/news.sanitize';
import { categoryFrom, parseDateTime, parseDay } from '../src/features/news/news.validation';

describe('sanitizeArticleHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<p onclick="x()" style="color:red" class="c">ok</p>', '<p>ok</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="  jav&#x09;ascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="//evil.example/x">x</a>', '<a>x</a>'],
    ['<a href="/jobs">x</a>', '<a>x</a>'],
    ['<a href="mailto:a@b.c">x</a>', '<a>x</a>'],
    ['<a href="https://ok.example/a" target="_top" rel="opener">x</a>', '<a href="https://ok.example/a" rel="nofollow noopener">x</a>'],
    ['<img src="data:image/png;base64,AAAA">', ''],
    ['<img src="/files/resumes/3">', ''],
    ['<img src="/files/news/../resumes/3">', ''],
    ['<img src="/files/news/12" alt="封面" onload="x()">', '<img src="/files/news/12" alt="封面" loading="lazy" referrerpolicy="no-referrer" />'],
    ['<iframe src="https://v.example/"></iframe><object data="x"></object><embed src="x">', ''],
    ['<svg><script>alert(1)</script></svg><math><mi>x</mi></math>', ''],
    ['<form action="https://evil"><input name="p"><button>提交</button></form>', '提交'],
    ['<h1>大标题</h1><h5>小</h5><table><tr><td>格</td></tr></table>', '<h2>大标题</h2><h4>小</h4><p>格</p>'],
    ['<blockquote><p>引用</p></blockquote><ul><li>一</li></ul><ol><li>二</li></ol>', '<blockquote><p>引用</p></blockquote><ul><li>一</li></ul><ol><li>二</li></ol>'],
    ['<div><p>一</p><div>二</div>三</div>', '<p>一</p><p>二</p><p>三</p>'],
    ['<p>&lt;script&gt; 是文字</p>', '<p>&lt;script&gt; 是文字</p>'],
  ])('%s → %s', (input, expected) => {
    expect(sanitizeArticleHtml(input)).toBe(expected);
  });

  it('reduces HTML to plain text for summaries', () => {
    expect(htmlToText('<p>第一段&amp;<b>加粗</b></p><p>第二段 &lt;tag&gt;</p><script>x()</script>')).toBe('第一段&加粗 第二段 <tag>');
  });
});

describe('dates of articles', () => {
  it.each([
    ['2022-04-17', '2022-04-16T16:00:00.000Z'],
    ['2022-04-17 09:30', '2022-04-17T01:30:00.000Z'],
    ['2022-04-17T09:30', '2022-04-17T01:30:00.000Z'],
    ['2022/4/7', '2022-04-06T16:00:00.000Z'],
    ['2022年4月17日', '2022-04-16T16:00:00.000Z'],
    ['2022-04-17T09:30:00Z', '2022-04-17T09:30:00.000Z'],
    ['2022-04-17T09:30:00+08:00', '2022-04-17T01:30:00.000Z'],
    ['Sun, 17 Apr 2022 09:00:00 +0800', '2022-04-17T01:00:00.000Z'],
    ['Sun, 17 Apr 2022 01:00:00 GMT', '2022-04-17T01:00:00.000Z'],
    ['Sun, 17 Apr 2022 09:00:00', '2022-04-17T01:00:00.000Z'], // no zone: Shanghai time
  ])('reads %s', (raw, iso) => {
    expect(parseDateTime(raw)?.toISOString()).toBe(iso);
  });

  it.each(['2022-02-30', '2022-13-01', '2022-04-17 25:00', 'yesterday', '17/04/2022', '', '2022-04-17 09:00 PST8PDT'])('refuses %j', (raw) => {
    expect(parseDateTime(raw)).toBeNull();
  });

  it('reads a day only when it exists', () => {
    expect(parseDay('2024-2-29')).toBe('2024-02-29');
    expect(parseDay('2023-02-29')).toBeNull();
  });

  it('knows categories by key and by Chinese label', () => {
    expect(categoryFrom('policy')).toBe('policy');
    expect(categoryFrom('POLICY')).toBe('policy');
    expect(categoryFrom('公司动态')).toBe('company');
    expect(categoryFrom('娱乐')).toBeUndefined();
  });
});
