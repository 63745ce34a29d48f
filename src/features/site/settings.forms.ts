// Owns the admin's settings forms, one per section: the form values of the current settings, the posted
// fields turned into a settings patch, and a store error's path (footerLinks.2.href) turned back into the
// field beside which it is shown. Validation itself is the settings schema's (SettingsStore.save).
import type { FieldErrors } from '../../errors';
import type { FormValues } from '../../web/forms';
import type { KeywordPage, SettingKey, SiteSettings } from './settings.schema';

export const SECTIONS = {
  basic: '基本信息',
  pages: '关于我们/加入我们',
  footer: '页脚链接',
  keywords: '关键词页面',
  words: '审核词库',
  leads: '用工需求',
} as const;
export type Section = keyof typeof SECTIONS;

export function isSection(v: unknown): v is Section {
  return typeof v === 'string' && Object.hasOwn(SECTIONS, v);
}

/** What each setting is called on the page (flash messages name what was saved). */
export const SETTING_LABELS: Record<SettingKey, string> = {
  siteName: '网站名称',
  companyName: '公司名称',
  companyInfo: '公司信息',
  hotlineLabel: '热线名称',
  hotline: '客服热线',
  contactEmail: '客服邮箱',
  icp: 'ICP备案号',
  takedownContact: '侵权删除说明',
  aboutContent: '关于我们',
  joinContent: '加入我们',
  footerLinks: '页脚链接',
  keywordPages: '关键词页面',
  feeWords: '收费词',
  discriminationWords: '歧视词',
  contactWords: '站外联系词',
  rejectionTemplates: '驳回原因模板',
  dutyConsultantPhone: '值班顾问手机号',
  dutyConsultantEmail: '值班顾问邮箱',
  leadCallbackPromise: '回电承诺',
  leadResponseMinutes: '响应时限',
  workingHours: '工作时间',
};

const messages = {
  incomplete: '表单不完整,请刷新页面后重新填写',
  item: (message: string, item: string) => `${message}:「${item}」`,
};

/** Empty rows offered below the existing ones, so a link or a keyword page can be added without JavaScript. */
export const EXTRA_ROWS = { footer: 3, keywords: 2 } as const;
const MAX_ROWS = 60;

const TEXT_FIELDS = {
  basic: ['siteName', 'companyName', 'companyInfo', 'hotlineLabel', 'hotline', 'contactEmail', 'icp', 'takedownContact'],
  pages: ['aboutContent', 'joinContent'],
  leads: ['dutyConsultantPhone', 'dutyConsultantEmail', 'leadCallbackPromise', 'leadResponseMinutes', 'workingHours'],
} as const satisfies Partial<Record<Section, readonly SettingKey[]>>;

const KEYWORD_FIELDS = ['label', 'slug', 'title', 'text', 'q', 'type', 'district', 'settlement', 'category', 'sort'] as const;
/** The fields of a keyword row that are choices: a row with only these set is still an empty row. */
const KEYWORD_CHOICES = new Set<string>(['type', 'district', 'settlement', 'category', 'sort']);

export type ParsedSection =
  | { ok: true; patch: Partial<SiteSettings>; fieldErrors: (storeErrors: FieldErrors) => FieldErrors }
  | { ok: false; errors: FieldErrors };

function str(values: FormValues, name: string): string | undefined {
  const v = values[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A word list typed one per line, or separated by commas, 、 or semicolons; duplicates dropped. */
export function splitWords(text: string): string[] {
  return [...new Set(text.split(/[\n,，、;；]+/).map((w) => w.trim()).filter(Boolean))];
}

export function splitLines(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((w) => w.trim()).filter(Boolean))];
}

/** Field errors keyed by form field: `map` names the field of each store path; unknown paths go to the top of the form. */
function remap(storeErrors: FieldErrors, map: (path: string, message: string) => [string, string] | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(storeErrors)) {
    const [field, text] = map(path, message) ?? ['_form', message];
    out[field] ??= text;
  }
  return out;
}

/** The indexed rows of a form (`link_3_label`...): `rows` says how many the page showed. */
function readRows(values: FormValues, prefix: string, fields: readonly string[]): { rows: Record<string, string>[]; formIndex: number[] } | undefined {
  const count = str(values, 'rows');
  if (count === undefined || !/^\d{1,3}$/.test(count)) return undefined;
  const rows: Record<string, string>[] = [];
  const formIndex: number[] = [];
  for (let i = 0; i < Math.min(Number(count), MAX_ROWS); i++) {
    const row = Object.fromEntries(fields.map((f) => [f, str(values, `${prefix}_${i}_${f}`) ?? '']));
    const removed = str(values, `${prefix}_${i}_delete`) === 'yes';
    // A row left empty (or ticked 删除) is not a row: that is how one is removed.
    if (removed || fields.every((f) => row[f] === '' || KEYWORD_CHOICES.has(f))) continue;
    rows.push(row);
    formIndex.push(i);
  }
  return { rows, formIndex };
}

function rowError(pattern: RegExp, prefix: string, formIndex: number[]) {
  return (path: string, message: string): [string, string] | undefined => {
    const m = pattern.exec(path);
    if (!m) return undefined;
    const i = formIndex[Number(m[1])];
    return i === undefined ? undefined : [`${prefix}_${i}_${m[2]}`, message];
  };
}

/** Turns a section's posted fields into a patch of the settings. */
export function parseSection(section: Section, values: FormValues): ParsedSection {
  const incomplete = { ok: false as const, errors: { _form: messages.incomplete } };
  switch (section) {
    case 'basic':
    case 'pages':
    case 'leads': {
      const names = TEXT_FIELDS[section];
      const patch: Record<string, string> = {};
      for (const name of names) {
        const v = str(values, name);
        if (v === undefined) return incomplete;
        patch[name] = v;
      }
      return { ok: true, patch, fieldErrors: (e) => remap(e, (path, message) => [path.split('.')[0]!, message]) };
    }
    case 'footer': {
      const read = readRows(values, 'link', ['label', 'href']);
      if (!read) return incomplete;
      const footerLinks = read.rows.map((r) => ({ label: r.label!, href: r.href! }));
      return { ok: true, patch: { footerLinks }, fieldErrors: (e) => remap(e, rowError(/^footerLinks\.(\d+)\.(label|href)$/, 'link', read.formIndex)) };
    }
    case 'keywords': {
      const read = readRows(values, 'kw', KEYWORD_FIELDS);
      if (!read) return incomplete;
      const keywordPages = read.rows.map((r) => {
        const filter: Record<string, string> = {};
        for (const key of ['q', 'type', 'district', 'settlement', 'category', 'sort'] as const) if (r[key]) filter[key] = r[key];
        return { label: r.label!, slug: r.slug!.toLowerCase(), title: r.title!, text: r.text!, filter } as KeywordPage;
      });
      return {
        ok: true,
        patch: { keywordPages },
        fieldErrors: (e) => remap(e, rowError(/^keywordPages\.(\d+)\.(?:filter\.)?(\w+)$/, 'kw', read.formIndex)),
      };
    }
    case 'words': {
      const fee = str(values, 'feeWords');
      const discrimination = str(values, 'discriminationWords');
      const contact = str(values, 'contactWords');
      const templates = str(values, 'rejectionTemplates');
      if (fee === undefined || discrimination === undefined || contact === undefined || templates === undefined) return incomplete;
      const patch = { feeWords: splitWords(fee), discriminationWords: splitWords(discrimination), contactWords: splitWords(contact), rejectionTemplates: splitLines(templates) };
      return {
        ok: true,
        patch,
        fieldErrors: (e) =>
          remap(e, (path, message) => {
            const [key, index] = path.split('.') as [keyof typeof patch, string | undefined];
            if (!(key in patch)) return undefined;
            const item = index === undefined ? undefined : patch[key][Number(index)];
            return [key, item === undefined ? message : messages.item(message, item)];
          }),
      };
    }
  }
}

/** The form values of a section, from the settings in force. */
export function sectionValues(section: Section, s: SiteSettings): FormValues {
  switch (section) {
    case 'basic':
    case 'pages':
    case 'leads':
      return Object.fromEntries(TEXT_FIELDS[section].map((k) => [k, s[k]]));
    case 'footer': {
      const values: FormValues = { rows: String(s.footerLinks.length + EXTRA_ROWS.footer) };
      s.footerLinks.forEach((l, i) => Object.assign(values, { [`link_${i}_label`]: l.label, [`link_${i}_href`]: l.href }));
      return values;
    }
    case 'keywords': {
      const values: FormValues = { rows: String(s.keywordPages.length + EXTRA_ROWS.keywords) };
      s.keywordPages.forEach((p, i) => {
        const row = { label: p.label, slug: p.slug, title: p.title, text: p.text, ...p.filter };
        for (const [k, v] of Object.entries(row)) if (v !== undefined) values[`kw_${i}_${k}`] = v;
      });
      return values;
    }
    case 'words':
      return {
        feeWords: s.feeWords.join('\n'),
        discriminationWords: s.discriminationWords.join('\n'),
        contactWords: s.contactWords.join('\n'),
        rejectionTemplates: s.rejectionTemplates.join('\n'),
      };
  }
}

/** How many rows the form shows: what was posted (a 422 keeps every row typed), else the settings plus empty ones. */
export function rowCount(values: FormValues): number {
  const n = Number(str(values, 'rows'));
  return Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_ROWS) : 0;
}
