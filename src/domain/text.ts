// Owns text normalisation shared by validation and search: full-width to half-width, phone numbers, masking.

// Control characters other than tab/newline, and zero-width/bidi marks that can disguise text.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

// C0 controls but tab, newline and carriage return; DEL; C1 controls. PostgreSQL refuses NUL in text outright.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Removes control characters (NUL, ESC, DEL, ...); tab and line breaks stay. Every form and query goes through it. */
export function stripControlChars(input: string): string {
  return input.replace(CONTROL, '');
}

/** NFKC (１３８ → 138, ： → :), invisible characters removed, trimmed. */
export function normalizeText(input: string): string {
  return input.normalize('NFKC').replace(INVISIBLE, '').trim();
}

/** Digits of a phone number as typed with spaces, dashes or a +86 prefix. */
export function normalizePhone(input: string): string {
  const digits = normalizeText(input).replace(/[\s\-()（）]/g, '');
  return digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export const MOBILE_RE = /^1[3-9]\d{9}$/;
/** A mainland landline such as 0755-88828155 (area code + 7-8 digits), after normalisation. */
export const LANDLINE_RE = /^0\d{2,3}\d{7,8}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isMobile(value: string): boolean {
  return MOBILE_RE.test(value);
}

/** 13812345678 → 138****5678; other numbers keep their first 3 and last 2 characters. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const p = normalizePhone(phone);
  if (MOBILE_RE.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  if (p.length <= 5) return '*'.repeat(p.length);
  return `${p.slice(0, 3)}${'*'.repeat(p.length - 5)}${p.slice(-2)}`;
}

// What people put between the digits of a number to slip it past a filter, or that a URL makes of a space:
// spaces, - . _ / · and dashes, %20, %2F and +. Up to three of them between any two digits.
const SEP = String.raw`(?:[\s\-._/·—–]|%20|%2F|\+)`;
const GAP = `${SEP}{0,3}`;
const DIGITS_11 = `1${GAP}[3-9]${GAP}(?:\\d${GAP}){8}\\d`;

/**
 * Mainland mobile numbers inside free text, also typed with separators (138 1234 5678, 138.1234.5678,
 * 138_1234_5678, 138/1234/5678, 1 3 8 1 2 3 4 5 6 7 8), a +86 prefix or URL-encoded separators (search terms
 * in a logged URL). Not inside a longer number, but right after a URL-encoded byte (%20) is a start.
 */
const MOBILE_IN_TEXT = new RegExp(String.raw`(?:(?<=%[0-9A-F]{2})|(?<![\d%]))(?:(?:\+|%2B)?86${GAP})?${DIGITS_11}(?!\d)`, 'gi');

/** Masks every mobile number in a text (job text for anonymous visitors, log lines): 138 1234 5678 → 138****5678. */
export function maskPhonesIn(text: string): string {
  return text.replace(MOBILE_IN_TEXT, (match) => {
    const digits = match.replace(/%[0-9A-F]{2}/gi, ' ').replace(/\D/g, '').slice(-11);
    return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  });
}

/**
 * The first `length` characters of `text` with each run of white space as one space: the same as
 * `text.replace(/\s+/g, ' ').slice(0, length)`, from as short a start of the text as gives them (a job page's
 * description meta tag: the whole description was copied for its first 90 characters; issue 21).
 */
export function collapsedStart(text: string, length: number): string {
  // Cut inside a run of white space, the start still gives that run's one space: its result begins the whole one's.
  for (let take = Math.max(length * 2, 128); ; take *= 2) {
    const collapsed = text.slice(0, take).replace(/\s+/g, ' ');
    if (collapsed.length >= length || take >= text.length) return collapsed.slice(0, length);
  }
}

/** Masks an email for lists: zhang.san@qq.com → zh***@qq.com. */
export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 2)}***@${domain}`;
}

/** Masks a login (phone or email) for lists and logs. */
export function maskLogin(login: string): string {
  return login.includes('@') ? maskEmail(login) : maskPhone(login);
}

/** The `tel:` address of a phone number as typed (0755-8882 8155 → tel:075588828155). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}
