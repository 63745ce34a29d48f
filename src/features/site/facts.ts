// Owns the site's facts inside text an admin types (关于我们, 加入我们, keyword intros, the takedown note):
// `{客服热线}` and its kin are filled in from the settings when a page is shown, so each fact is typed once,
// in its own setting, and a change reaches every page. Contact facts typed out literally are refused on save.
import { normalizeText, telHref } from '../../domain/text';
import type { SiteSettings } from './settings.schema';

/** The placeholders an admin may write, and the setting each one stands for. */
export const FACT_PLACEHOLDERS = {
  '{网站名称}': 'siteName',
  '{公司名称}': 'companyName',
  '{客服热线}': 'hotline',
  '{客服邮箱}': 'contactEmail',
} as const satisfies Record<string, keyof SiteSettings>;

type Facts = Pick<SiteSettings, (typeof FACT_PLACEHOLDERS)[keyof typeof FACT_PLACEHOLDERS]>;

/** A piece of filled-in text: plain, or a fact people act on (a number to call, an address to write to). */
export type TextPart = { text: string; tel?: string; mailto?: string };

const PLACEHOLDER = new RegExp(`(${Object.keys(FACT_PLACEHOLDERS).join('|')})`, 'g');

/** The text with each placeholder replaced by its setting: for titles, meta descriptions and other plain text. */
export function fillFacts(text: string, site: Facts): string {
  return text.replace(PLACEHOLDER, (p) => site[FACT_PLACEHOLDERS[p as keyof typeof FACT_PLACEHOLDERS]]);
}

/** The text in pieces, the hotline and e-mail address as their own pieces so a page can make them links. */
export function factParts(text: string, site: Facts): TextPart[] {
  const parts: TextPart[] = [];
  for (const piece of text.split(PLACEHOLDER)) {
    if (!piece) continue;
    const key = FACT_PLACEHOLDERS[piece as keyof typeof FACT_PLACEHOLDERS];
    if (key === 'hotline') parts.push({ text: site.hotline, tel: telHref(site.hotline) });
    else if (key === 'contactEmail') parts.push({ text: site.contactEmail, mailto: `mailto:${site.contactEmail}` });
    else if (key) parts.push({ text: site[key] });
    else parts.push({ text: piece });
  }
  return parts;
}

/** Paragraphs (a blank line starts a new one), each in pieces. */
export function factParagraphs(text: string, site: Facts): TextPart[][] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => factParts(p, site));
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * Which contact facts a text spells out instead of naming them: the hotline's digits (however spaced or dashed)
 * or the e-mail address. Such a copy would keep the old value after a change, so the admin writes the placeholder.
 */
export function literalContactFacts(text: string, site: Pick<Facts, 'hotline' | 'contactEmail'>): ('{客服热线}' | '{客服邮箱}')[] {
  const found: ('{客服热线}' | '{客服邮箱}')[] = [];
  const hotline = digitsOf(site.hotline);
  // Digits joined across the separators people type inside a phone number (spaces, dashes, brackets, dots).
  const runs = normalizeText(text).match(/[0-9][0-9\s\-().]*[0-9]/g) ?? [];
  if (hotline.length >= 5 && runs.some((run) => digitsOf(run).includes(hotline))) found.push('{客服热线}');
  if (site.contactEmail && normalizeText(text).toLowerCase().includes(site.contactEmail.toLowerCase())) found.push('{客服邮箱}');
  return found;
}

const messages = {
  spelledOut: (placeholders: string[]) => `请写 ${placeholders.join('、')},不要直接写出号码或邮箱:这样修改热线或邮箱时,这里会跟着变`,
};

/** The settings that are text an admin types, and may hold placeholders. */
const TEXT_SETTINGS = ['companyInfo', 'aboutContent', 'joinContent', 'takedownContact'] as const;

/**
 * Field errors (keyed by the settings' paths, as the store reports them) for texts among `keys` that spell out the
 * hotline or e-mail address of `site`. Only the texts being saved are checked: an older text elsewhere never
 * blocks saving another section.
 */
export function spelledOutFactErrors(site: SiteSettings, keys: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of TEXT_SETTINGS) {
    if (!keys.includes(key)) continue;
    const found = literalContactFacts(site[key], site);
    if (found.length) errors[key] = messages.spelledOut(found);
  }
  if (keys.includes('keywordPages')) {
    site.keywordPages.forEach((page, i) => {
      const found = literalContactFacts(page.text, site);
      if (found.length) errors[`keywordPages.${i}.text`] = messages.spelledOut(found);
    });
  }
  return errors;
}
