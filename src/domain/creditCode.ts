// Owns the 统一社会信用代码 (unified social credit code): normalising it and checking it against GB 32100-2015.

const messages = {
  required: '请输入统一社会信用代码',
  length: (n: number) => `统一社会信用代码应为 18 位,你输入了 ${n} 位`,
  chars: '统一社会信用代码含有无效字符:只能是数字和大写字母,且不含 I、O、Z、S、V',
  division: '统一社会信用代码第 3 到 8 位应为行政区划数字代码',
  check: '统一社会信用代码校验位不正确,请对照营业执照核对',
};

/** The 31 characters a code may use (GB 32100-2015 leaves out I, O, Z, S and V). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** As typed on a phone: full-width, spaces, dashes and lower case are all accepted. */
export function normalizeCreditCode(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\-_\u2010-\u2015\u2212]/g, '')
    .toUpperCase();
}

/** The check character of the first 17 characters, or null when one of them is not in the charset. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[check === 31 ? 0 : check]!;
}

export type CreditCodeResult = { ok: true; code: string } | { ok: false; error: string };

/** Normalises and checks a code; the error says in Chinese what is wrong with it. */
export function checkCreditCode(raw: string): CreditCodeResult {
  const code = normalizeCreditCode(raw);
  if (!code) return { ok: false, error: messages.required };
  if (code.length !== 18) return { ok: false, error: messages.length(code.length) };
  if ([...code].some((c) => !CREDIT_CODE_CHARSET.includes(c))) return { ok: false, error: messages.chars };
  // Characters 3-8 are the registering authority's administrative division code: always digits.
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, error: messages.division };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, error: messages.check };
  return { ok: true, code };
}

export function isValidCreditCode(raw: string): boolean {
  return checkCreditCode(raw).ok;
}
