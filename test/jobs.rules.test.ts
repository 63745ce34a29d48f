// The rules of jobs that need no HTTP: credit codes, the fee and discrimination screen, the lifecycle
// table, Chinese segmentation, and the clamping of the list's query string.
import { checkCreditCode, creditCodeCheckChar, isValidCreditCode, normalizeCreditCode } from '../src/domain/creditCode';
import { addDays, chinaDate, isIsoDate } from '../src/domain/dates';
import { collapsedStart } from '../src/domain/text';
import { InvalidTransitionError, ValidationError } from '../src/errors';
import { canTransition, JOB_TRANSITIONS, nextStatus } from '../src/features/jobs/jobs.lifecycle';
import { findFeeWords, findFlaggedWords, normalizeForScreening, screenText } from '../src/features/jobs/jobs.screening';
import { screenPosting } from '../src/features/jobs/jobs.service';
import { parseJobListQuery } from '../src/features/jobs/jobs.validation';
import { DEFAULT_CONTACT_WORDS, DEFAULT_DISCRIMINATION_WORDS, DEFAULT_FEE_WORDS } from '../src/features/site/settings.schema';
import { segmentDocument, segmentQuery } from '../src/search/segment';
import { currentDictionary } from '../src/search/dictionary';
import { tsqueryText } from '../src/search/tsvector';
import { jsonLdScript } from '../src/web/jsonLd';
import { validCreditCode } from './helpers/jobs';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts codes whose check character is computed by the algorithm', () => {
    for (const first17 of ['91440300MA5F12345', '91440300MA5GPC001', '12100000400000716', '51440300MJL000000', '92440300L12345678']) {
      const code = validCreditCode(first17);
      expect(code).toHaveLength(18);
      expect(checkCreditCode(code)).toEqual({ ok: true, code });
    }
  });

  it('accepts well-known codes of real companies', () => {
    // Tencent (深圳市腾讯计算机系统有限公司), Huawei (华为技术有限公司), BYD, the GB example, Alibaba, JD, Baidu.
    for (const code of ['91440300708461136T', '914403001922038216', '91440300192317458F', '91350100M000100Y43', '91330100799655058B', '91110108551385082Q', '91110000600037341L']) {
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('normalises lower case, full-width characters, spaces and dashes before checking', () => {
    expect(normalizeCreditCode('9144 0300-7084 6113 6t')).toBe('91440300708461136T');
    expect(checkCreditCode('９１４４０３００７０８４６１１３６Ｔ')).toEqual({ ok: true, code: '91440300708461136T' });
    expect(checkCreditCode(' 91440300708461136t ')).toEqual({ ok: true, code: '91440300708461136T' });
  });

  it('refuses a wrong length, a wrong check character and characters outside the charset, in Chinese', () => {
    expect(checkCreditCode('')).toEqual({ ok: false, error: '请输入统一社会信用代码' });
    expect(checkCreditCode('91440300708461136')).toMatchObject({ ok: false, error: expect.stringContaining('18 位') });
    expect(checkCreditCode('91440300708461136TT')).toMatchObject({ ok: false, error: expect.stringContaining('你输入了 19 位') });
    expect(checkCreditCode('91440300708461136A')).toMatchObject({ ok: false, error: expect.stringContaining('校验位不正确') });
    for (const bad of ['I', 'O', 'Z', 'S', 'V', '*']) {
      expect(checkCreditCode(`9144030070846113${bad}T`)).toMatchObject({ ok: false, error: expect.stringContaining('无效字符') });
    }
    expect(checkCreditCode(validCreditCode('9144A300708461136'))).toMatchObject({ ok: false, error: expect.stringContaining('行政区划') });
  });

  it('computes 0 when 31 - (sum mod 31) is 31', () => {
    // Only the check digit changes with the sum: find a prefix whose sum is a multiple of 31.
    let prefix = '';
    for (let n = 0; n < 200 && !prefix; n++) {
      const candidate = `9144030000000${String(n).padStart(4, '0')}`;
      if (creditCodeCheckChar(candidate) === '0') prefix = candidate;
    }
    expect(prefix).not.toBe('');
    expect(isValidCreditCode(`${prefix}0`)).toBe(true);
  });
});

describe('fee words: a posting that asks seekers for money is refused', () => {
  const fee = (text: string) => findFeeWords(text, DEFAULT_FEE_WORDS);

  it('finds fee words, also split by spaces, symbols or written full-width', () => {
    expect(fee('入职需交押金300元')).toEqual(['押金']);
    expect(fee('押 金 200,培 训 费另计')).toEqual(['押金', '培训费']);
    expect(fee('押＊金、体-检-费自理')).toEqual(['押金', '体检费']);
    expect(fee('押\u3000金')).toEqual(['押金']);
    expect(fee('在家兼职刷单,日赚300')).toEqual(['刷单']);
    expect(normalizeForScreening('Ｐ Ｒ_体*检')).toBe('pr体检');
  });

  it('allows a fee word that is negated right before or after it', () => {
    expect(fee('本职位不收押金')).toEqual([]);
    expect(fee('无需体检费,免培训费')).toEqual([]);
    expect(fee('0押金,零服务费')).toEqual([]);
    expect(fee('不收取任何押金、培训费和服务费')).toEqual([]);
    expect(fee('押金全免,体检费一律不收')).toEqual([]);
  });

  it('still refuses un-negated mentions beside negated ones, and pay-now-refund-later', () => {
    expect(fee('不收押金,但需交服务费')).toEqual(['服务费']);
    expect(fee('体检费入职后报销')).toEqual(['体检费']);
    expect(fee('押金入职满一个月退还')).toEqual(['押金']);
    // 1000 is an amount, not 零: "交1000押金" asks for a deposit.
    expect(fee('先交1000押金')).toEqual(['押金']);
  });

  it('does not join words across a sentence break', () => {
    expect(fee('提供优质服务。费用由公司承担')).toEqual([]);
  });
});

describe('discrimination words: flagged for the reviewer, not refused', () => {
  it('finds them after the same normalisation', () => {
    expect(findFlaggedWords('限 男性,本地户口优先', DEFAULT_DISCRIMINATION_WORDS)).toEqual(['限男性', '本地户口']);
    expect(findFlaggedWords('男女不限,欢迎各地朋友', DEFAULT_DISCRIMINATION_WORDS)).toEqual([]);
  });

  it('screens every field: fee words by field, flags for the whole posting', () => {
    const result = screenText({ title: '普工', description: '需交押金', requirements: '限女性' }, { feeWords: DEFAULT_FEE_WORDS, discriminationWords: DEFAULT_DISCRIMINATION_WORDS });
    expect(result.feeWordsByField).toEqual({ description: ['押金'] });
    expect(result.flaggedWords).toEqual(['限女性']);
  });

  it('refuses with a ValidationError naming the words beside their fields', () => {
    const lists = { feeWords: DEFAULT_FEE_WORDS, discriminationWords: DEFAULT_DISCRIMINATION_WORDS, contactWords: DEFAULT_CONTACT_WORDS };
    let err: unknown;
    try {
      screenPosting({ title: '急招打字员', description: '先交培训费' }, lists);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.status).toBe(422);
    expect(v.fieldErrors.title).toContain('打字员');
    expect(v.fieldErrors.description).toContain('培训费');
    expect(v.fieldErrors._form).toMatch(/打字员.*培训费|培训费.*打字员/);
    expect(screenPosting({ requirements: '仅限男性' }, lists)).toEqual(['仅限男', '限男性']);
  });
});

describe('the job lifecycle table', () => {
  it('moves a job along the legal paths', () => {
    expect(nextStatus('draft', 'submit')).toBe('pending');
    expect(nextStatus('pending', 'approve')).toBe('published');
    expect(nextStatus('pending', 'reject')).toBe('rejected');
    expect(nextStatus('published', 'close')).toBe('closed');
    expect(nextStatus('published', 'save')).toBe('pending');
    expect(nextStatus('published', 'expire')).toBe('expired');
    expect(nextStatus('rejected', 'submit')).toBe('pending');
    expect(nextStatus('closed', 'reopen')).toBe('pending');
    expect(nextStatus('expired', 'reopen')).toBe('pending');
    expect(nextStatus('draft', 'save')).toBe('draft');
  });

  it('refuses everything else with a Chinese 409', () => {
    const illegal: [Parameters<typeof nextStatus>[0], Parameters<typeof nextStatus>[1]][] = [
      ['draft', 'approve'],
      ['pending', 'close'],
      ['published', 'reopen'],
      ['rejected', 'approve'],
      ['closed', 'close'],
      ['draft', 'close'],
      ['expired', 'approve'],
    ];
    for (const [from, action] of illegal) {
      expect(canTransition(from, action)).toBe(false);
      expect(() => nextStatus(from, action)).toThrow(InvalidTransitionError);
    }
    try {
      nextStatus('draft', 'approve');
    } catch (err) {
      expect((err as InvalidTransitionError).status).toBe(409);
      expect((err as Error).message).toBe('状态为「草稿」的职位不能审核通过');
    }
  });

  it('never publishes without review: no action but approve leads to published', () => {
    for (const [from, actions] of Object.entries(JOB_TRANSITIONS)) {
      for (const [action, to] of Object.entries(actions)) {
        if (to === 'published') expect([from, action]).toEqual(['pending', 'approve']);
      }
    }
  });
});

describe('Chinese segmentation', () => {
  it('keeps job words whole in documents and queries', () => {
    const words = segmentDocument('电子厂普工日结 包吃住 南山区');
    expect(words).toEqual(expect.arrayContaining(['电子厂', '普工', '日结', '包吃住', '南山区', '南山']));
    expect(segmentQuery('南山 临时工')).toEqual(['南山', '临时工']);
    expect(segmentQuery('京东物流园分拣员')).toEqual(['京东', '物流园', '分拣员']);
  });

  it('drops stop words, punctuation and anything that could be a tsquery operator', () => {
    expect(segmentQuery('招聘 的 普工!!')).toEqual(['普工']);
    expect(segmentQuery("普工 & | ! ( ) :* ' \\")).toEqual(['普工']);
    expect(tsqueryText(['普工', "a'b", '日结', '&'], '&')).toBe('普工 & 日结');
    expect(segmentQuery('')).toEqual([]);
  });

  it('knows districts, types and settlements by their words', () => {
    const meaning = (w: string) => currentDictionary().conceptOf(w).meanings;
    expect(meaning('南山')).toEqual({ district: ['南山区'] });
    expect(meaning('大鹏')).toEqual({ district: ['大鹏新区'] });
    expect(meaning('临时工')).toEqual({ type: ['temp'] });
    expect(meaning('日结')).toEqual({ settlement: ['daily'] });
    expect(meaning('电子厂')).toEqual({ workplace: ['电子厂'] });
    expect(meaning('洗衣机')).toEqual({});
  });
});

describe('the job list query string is never an error', () => {
  it('drops or clamps what does not fit', () => {
    const q = parseJobListQuery({ payMin: '-5', page: 'abc', sort: 'bogus', type: 'bogus', district: '火星', settlement: 'x', benefits: ['包吃', '<script>'] });
    expect(q).toEqual({ q: '', type: undefined, district: undefined, settlement: undefined, category: undefined, payMin: undefined, benefits: ['包吃'], sort: undefined, page: 1 });
    expect(parseJobListQuery({ payMin: '99999', page: '0' })).toMatchObject({ payMin: 5000, page: 1 });
    expect(parseJobListQuery({ q: '普'.repeat(10_000) }).q).toHaveLength(50);
    expect(parseJobListQuery({ q: ['普工', '日结'], district: '南山' })).toMatchObject({ q: '普工', district: '南山区' });
    expect(parseJobListQuery({ q: '  普工　 日结 ' }).q).toBe('普工 日结');
    expect(parseJobListQuery({ type: 'parttime' }, { type: 'temp' }).type).toBe('temp');
    expect(parseJobListQuery(undefined).page).toBe(1);
  });
});

describe('dates and JSON-LD', () => {
  it('uses the China calendar day', () => {
    expect(chinaDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });

  it('keeps user text inside the script element', () => {
    const html = jsonLdScript({ title: '</script><script>alert(1)</script>&' });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(html.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toEqual({ title: '</script><script>alert(1)</script>&' });
  });

  it('escapes <, >, &, U+2028 and U+2029 in one pass exactly as one replace per character did', () => {
    const data = { a: '<!-- a & b --> </script>', b: 'line\u2028sep\u2029para', c: ['<<>>&&', '普工 "日结"'], d: 3 };
    const perCharacter = JSON.stringify(data)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    expect(jsonLdScript(data)).toBe(`<script type="application/ld+json">${perCharacter}</script>`);
    expect(jsonLdScript(data)).not.toMatch(/[\u2028\u2029]/);
  });

  it('makes the description tag from the start of the text exactly as from the whole text', () => {
    const texts = ['', '短', ' 开头有空格', 'a'.repeat(89), 'a'.repeat(90), 'a'.repeat(500), `${'工作'.repeat(60)}${' \n\t'.repeat(100)}结尾`, `${' '.repeat(300)}x`, `${'字 '.repeat(50)}\n\n${'\u3000'.repeat(200)}后面`];
    for (let i = 0; i < 200; i++) texts.push(Array.from({ length: 20 + ((i * 37) % 400) }, (_, k) => ((k * 7 + i) % 5 === 0 ? ' \n'.repeat((k + i) % 150) : '职')).join(''));
    for (const text of texts) for (const length of [1, 90, 200]) expect(collapsedStart(text, length)).toBe(text.replace(/\s+/g, ' ').slice(0, length));
  });
});
