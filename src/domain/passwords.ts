// Owns the password policy of every flow that sets a password (signup, admin creation, and later reset, change
// and code signup): 8 to 64 characters, not one of the most common passwords, not the login itself; each
// refusal says why, in Chinese. The word lists ship in src/domain/data/ and are read once, on first use.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 64;

export const passwordMessages = {
  length: `密码长度为 ${PASSWORD_MIN} 到 ${PASSWORD_MAX} 个字符`,
  common: '这个密码太常见,很容易被猜中。请换一个,例如用几个不相关的词加数字组合',
  sameAsLogin: '密码不能与手机号或邮箱相同,请换一个',
};

const LIST_FILES = ['common-passwords.txt', 'common-passwords-zh.txt'];
const DATA_DIR = path.join(PROJECT_ROOT, 'src', 'domain', 'data');

let common: Set<string> | undefined;

/** The common-password lists as one lower-case set (about 18,000 entries, under 2 MB), read once. */
export function commonPasswords(): Set<string> {
  if (common) return common;
  const set = new Set<string>();
  for (const file of LIST_FILES) {
    for (const line of fs.readFileSync(path.join(DATA_DIR, file), 'utf8').split('\n')) {
      const word = line.trim();
      if (word && !word.startsWith('#')) set.add(word.toLowerCase());
    }
  }
  common = set;
  return set;
}

/** A birthday typed as eight digits (19900815): the first thing guessed after the lists. */
function isDateOfBirth(password: string): boolean {
  const m = /^(19[2-9]\d|20[0-4]\d)(\d\d)(\d\d)$/.exec(password);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
}

/** One of the common passwords (case does not matter), one character repeated, or a birthday. */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  return commonPasswords().has(lower) || new Set(lower).size === 1 || isDateOfBirth(lower);
}

/** The forms of a login a password must not be: as typed, its digits (+86 138 ...), an e-mail's name part. */
function loginForms(login: string): string[] {
  const lower = login.trim().toLowerCase();
  const forms = [lower];
  const digits = lower.replace(/[\s\-()+]/g, '').replace(/^86(?=1\d{10}$)/, '');
  if (/^\d+$/.test(digits)) forms.push(digits);
  const at = lower.indexOf('@');
  if (at > 0) forms.push(lower.slice(0, at));
  return forms;
}

/**
 * Why a new password is refused, in Chinese, or null when it is acceptable. `login` (the account's phone or
 * e-mail) is given wherever the flow knows it: the signup form, a reset for a known account, a change.
 */
export function passwordProblem(password: string, login?: string | null): string | null {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) return passwordMessages.length;
  if (login && loginForms(login).includes(password.trim().toLowerCase())) return passwordMessages.sameAsLogin;
  if (isCommonPassword(password)) return passwordMessages.common;
  return null;
}
