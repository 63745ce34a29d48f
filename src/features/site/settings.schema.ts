// Owns the shape of the editable site settings and their defaults (from .env and the original site's seed).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeText } from '../../domain/text';
import { CATEGORIES, DISTRICTS, JOB_TYPES, SETTLEMENTS } from '../../domain/vocabulary';
import { SEED_DATA_DIR } from '../../paths';

const messages = {
  required: (label: string) => `${label}不能为空`,
  tooLong: (label: string, n: number) => `${label}不能超过 ${n} 个字`,
  tooMany: (label: string, n: number) => `${label}最多 ${n} 项`,
  href: '链接必须是站内路径(如 /about)或完整的 http(s) 网址(如 https://www.example.com/)',
  slug: '网址标识只能包含小写字母、数字和连字符,如 laowu-paiqian',
  slugTaken: '网址标识重复:每个关键词页面的网址标识必须不同',
  titleTaken: '标题重复:每个关键词页面的标题必须不同',
  filterTaken: (label: string) => `职位筛选与「${label}」完全相同:每个关键词页面要列出不同的职位,请换一个搜索词、类型、区域、类别或结算方式`,
  district: '请选择深圳的一个区',
  hotline: '客服热线只能包含数字、空格、括号和连字符,如 0755-8882 8155',
  email: '请填写正确的邮箱地址,如 service@example.com',
  word: (label: string) => `${label}中每个词 1 到 20 个字`,
  template: '每条驳回原因 1 到 200 个字',
  dutyPhone: '值班顾问手机号应为 1 开头的 11 位数字;不用短信通知请留空',
  dutyEmail: '值班顾问邮箱格式不正确,如 sales@example.com;不用邮件通知请留空',
  minutes: '响应时限请填 5 到 1440 之间的分钟数,如 60',
  hours: '工作时间请按 08:30-18:00 的格式填写,开始早于结束',
};

/** `08:30-18:00`: the working hours in which a new lead's response time runs (China time). */
export const WORKING_HOURS_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const validHours = (v: string) => {
  const m = WORKING_HOURS_RE.exec(v);
  return Boolean(m) && Number(m![1]) * 60 + Number(m![2]) < Number(m![3]) * 60 + Number(m![4]);
};

/**
 * Text as the forms store it (NFKC, invisible characters removed, trimmed: `（示例）` is `(示例)`), so a stored value
 * and the same value posted back compare equal and saving an untouched form changes nothing.
 */
// A text of digits only ('60', '13900001111') comes back from a jsonb column as a number on one of the drivers:
// read back as the text it was.
const normalized = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? normalizeText(v) : typeof v === 'number' ? String(v) : v), schema);
type More = (s: z.ZodString) => z.ZodString;
const text = (label: string, max: number, more: More = (s) => s) => normalized(more(z.string(messages.required(label)).max(max, messages.tooLong(label, max))));
const requiredText = (label: string, max: number, more: More = (s) => s) => text(label, max, (s) => more(s.min(1, messages.required(label))));

/** A site path (`/about`, never `//host` or `/\host`, which browsers read as another site) or an absolute http(s) URL with a host. */
export function isSafeHref(v: string): boolean {
  if (/[\s\\\u0000-\u001f]/.test(v)) return false;
  if (v.startsWith('/')) return !v.startsWith('//');
  if (!/^https?:\/\//i.test(v)) return false;
  let host: string;
  try {
    host = new URL(v).hostname;
  } catch {
    return false;
  }
  // A real host name: labels of letters, digits and hyphens with a dot (or localhost); `http://` alone has none.
  return host === 'localhost' || /^([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(host);
}

const link = z.object({
  label: requiredText('链接文字', 30),
  href: requiredText('链接地址', 500, (s) => s.refine(isSafeHref, messages.href)),
});

export const keywordPageSchema = z.object({
  slug: requiredText('网址标识', 60, (s) => s.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, messages.slug)),
  label: requiredText('关键词', 30),
  title: requiredText('页面标题', 60),
  text: text('介绍文字', 5000),
  /** The job filter of the landing page: the same parameters as /jobs. */
  filter: z
    .object({
      q: text('搜索词', 50).optional(),
      type: z.enum(Object.keys(JOB_TYPES) as [keyof typeof JOB_TYPES], '请选择职位类型').optional(),
      district: z.enum(DISTRICTS, messages.district).optional(),
      settlement: z.enum(Object.keys(SETTLEMENTS) as [keyof typeof SETTLEMENTS], '请选择结算方式').optional(),
      category: z.enum(CATEGORIES, '请选择职位类别').optional(),
      sort: z.enum(['latest', 'pay'], '请选择排序').optional(),
    })
    .default({}),
});

export const KEYWORD_PAGES_MAX = 15;

/** A filter as one comparable string: the same conditions in any order are the same filter. */
const filterKey = (f: KeywordPage['filter']) => JSON.stringify(Object.entries(f).filter(([, v]) => v !== undefined && v !== '').sort());

/**
 * Each keyword page has its own address, its own title and its own filter (one page per keyword: no two pages
 * list the same jobs).
 * At most 15: a footer row of SEO links, and the form of 17 groups (11 fields each) stays within the body parser's
 * 200 fields.
 */
const keywordPages = z
  .array(keywordPageSchema)
  .max(KEYWORD_PAGES_MAX, messages.tooMany('关键词页面', KEYWORD_PAGES_MAX))
  .superRefine((pages, ctx) => {
    const seen = { slug: new Map<string, number>(), title: new Map<string, number>(), filter: new Map<string, number>() };
    pages.forEach((page, i) => {
      for (const key of ['slug', 'title'] as const) {
        if (seen[key].has(page[key])) ctx.addIssue({ code: 'custom', path: [i, key], message: key === 'slug' ? messages.slugTaken : messages.titleTaken });
        else seen[key].set(page[key], i);
      }
      const first = seen.filter.get(filterKey(page.filter));
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'filter', 'q'], message: messages.filterTaken(pages[first]!.label) });
      else seen.filter.set(filterKey(page.filter), i);
    });
  });

const wordList = (label: string) => z.array(normalized(z.string().min(1, messages.word(label)).max(20, messages.word(label)))).max(500, messages.tooMany(label, 500));

export const siteSettingsSchema = z.object({
  siteName: requiredText('网站名称', 40),
  companyName: requiredText('公司名称', 60),
  companyInfo: text('公司信息', 500),
  hotlineLabel: requiredText('热线名称', 10),
  hotline: requiredText('客服热线', 20, (s) => s.regex(/^[0-9+\-\s()]{5,20}$/, messages.hotline).refine((v) => /\d{5}/.test(v.replace(/\D/g, '')), messages.hotline)),
  contactEmail: requiredText('客服邮箱', 100, (s) => s.email(messages.email)),
  icp: text('ICP备案号', 40),
  /** The takedown note under republished articles; may name {客服热线} and {客服邮箱} (features/site/facts.ts). */
  takedownContact: requiredText('侵权删除说明', 200),
  aboutContent: text('关于我们', 20000),
  joinContent: text('加入我们', 20000),
  footerLinks: z.array(link).max(20, messages.tooMany('页脚链接', 20)),
  keywordPages,
  /** Words that ask seekers for money: a job containing one is refused. */
  feeWords: wordList('收费词'),
  /** Words that restrict gender, ethnicity, religion or 户籍/地域: a job containing one is flagged for review. */
  discriminationWords: wordList('歧视词'),
  /** Words that move the talk off the platform (加微信, QQ号, 扫码): a scam's first step; a job containing one is flagged for review. */
  contactWords: wordList('站外联系词'),
  rejectionTemplates: z.array(normalized(z.string().min(1, messages.template).max(200, messages.template))).max(50, messages.tooMany('驳回原因', 50)),
  // Client demand leads (issue 22): who is told of a new lead, what the thank-you page promises, and when a lead
  // still 新线索 counts as overdue.
  dutyConsultantPhone: text('值班顾问手机号', 20, (s) => s.regex(/^(1[3-9]\d{9})?$/, messages.dutyPhone)),
  dutyConsultantEmail: text('值班顾问邮箱', 100, (s) => s.refine((v) => v === '' || z.email().safeParse(v).success, messages.dutyEmail)),
  leadCallbackPromise: requiredText('回电承诺', 30),
  leadResponseMinutes: requiredText('响应时限', 4, (s) => s.refine((v) => /^\d{1,4}$/.test(v) && Number(v) >= 5 && Number(v) <= 1440, messages.minutes)),
  workingHours: requiredText('工作时间', 11, (s) => s.refine(validHours, messages.hours)),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;
export type KeywordPage = z.infer<typeof keywordPageSchema>;
export type SettingKey = keyof SiteSettings;
export const SETTING_KEYS = Object.keys(siteSettingsSchema.shape) as SettingKey[];

type SeedSite = { siteName: string; companyName: string; icp: string; hotlineLabel: string; hotline: string; footerLinks: string[]; keywordLinks: string[] };

/** Where each footer link of the original site goes. */
const FOOTER_HREFS: Record<string, string> = {
  关于我们: '/about',
  加入我们: '/join',
  人力资讯TOP500: '/news/top',
  网站地图: '/sitemap',
  临时工招聘信息: '/linshigong',
  兼职招聘信息: '/jianzhi',
};

/**
 * Landing pages of the original site's footer keywords. Each says what its link says (the title holds the keyword)
 * and lists its own jobs: a searcher for 劳务派遣公司 and one for 深圳临时工派遣中介 want different things.
 */
const KEYWORD_PAGES: Record<string, Omit<KeywordPage, 'label'>> = {
  劳务派遣: {
    slug: 'laowu-paiqian',
    title: '劳务派遣招聘信息',
    text: '劳务派遣是由派遣单位与劳动者订立劳动合同,再把劳动者派到用工单位工作的用工形式。本站所有劳务派遣职位都写明派遣单位和用工单位,派遣单位须持有劳务派遣经营许可证。求职全程免费,任何以押金、培训费等名义收费的行为请立即举报。',
    filter: { type: 'dispatch' },
  },
  深圳劳务派遣公司: {
    slug: 'shenzhen-laowu-paiqian-gongsi',
    title: '深圳劳务派遣公司:高薪岗位排行',
    text: '{公司名称}是深圳本地的劳务派遣公司,为电子厂、物流仓储、餐饮、物业等企业招人。这里按工资从高到低列出我们正在招聘的全部岗位:临时工、兼职、派遣和全职都有,工资、结算方式和工作地点写得清清楚楚。',
    filter: { sort: 'pay' },
  },
  劳务派遣公司: {
    slug: 'laowu-paiqian-gongsi',
    title: '劳务派遣公司招聘:工厂普工',
    text: '劳务派遣公司招得最多的是工厂普工:流水线、装配、包装,不要求经验,多数包吃住。选正规的劳务派遣公司要看三点:有没有劳务派遣经营许可证、会不会和你签劳动合同、有没有向你收钱。本站的企业都经过资质审核,求职不收任何费用。',
    filter: { category: '普工' },
  },
  深圳临时工派遣公司: {
    slug: 'shenzhen-linshigong-paiqian-gongsi',
    title: '深圳临时工派遣公司:临时工岗位',
    text: '深圳各区的临时工岗位:展会搭建、搬运装卸、仓库打包、酒店传菜、寒暑假工。干几天到几个月都有,日结、周结、完工结都写在职位上。不收任何费用,工资按约定时间结算。',
    filter: { type: 'temp' },
  },
  深圳临时工派遣中介: {
    slug: 'shenzhen-linshigong-paiqian-zhongjie',
    title: '深圳临时工派遣中介:当天日结',
    text: '想今天干活、今天拿钱?这里只列出深圳的日结临时工,当天上岗、当天结算。正规中介和企业都不会让你先交钱:凡是要押金、培训费、工装费的,一律是骗局,请直接举报或致电 {客服热线}。',
    filter: { type: 'temp', settlement: 'daily' },
  },
};

export const DEFAULT_FEE_WORDS = [
  '押金',
  '培训费',
  '服务费',
  '体检费',
  '介绍费',
  '中介费',
  '报名费',
  '保证金',
  '工装费',
  '刷单',
  '刷信誉',
  '打字员',
  '垫付',
  '先交钱',
  '办卡费',
  '资料费',
];

export const DEFAULT_DISCRIMINATION_WORDS = [
  '限男性',
  '限女性',
  '只招男',
  '只招女',
  '仅限男',
  '仅限女',
  '男性优先',
  '女性优先',
  '限汉族',
  '不招少数民族',
  '不招新疆',
  '不招河南',
  '限本地户籍',
  '限深圳户籍',
  '本地户口',
  '限本地人',
  '不招外地',
  '信教者勿扰',
  '已婚已育',
  '未婚',
];

/**
 * Off-platform contact: the classic first step of a recruitment scam (the talk moves to WeChat or QQ, where the
 * fee is asked for and no report button exists). Matched after normalizeForScreening, so 加 V, 加-v, 加ｖ all hit 加v.
 */
export const DEFAULT_CONTACT_WORDS = [
  '加微信',
  '加微',
  '加v',
  '加vx',
  '加wx',
  '微信号',
  '微信同号',
  '微信联系',
  'v信',
  '薇信',
  '威信',
  '徽信',
  '加q',
  'qq号',
  'qq群',
  '扣扣',
  '企鹅号',
  // Not 扫码 alone: scanning parcels is a warehouse job's daily work (包裹分拣、扫码、上架).
  '扫码加',
  '扫码进',
  '扫码入',
  '扫码添加',
  '扫码联系',
  '扫码咨询',
  '扫码关注',
  '扫一扫',
  '二维码',
  '加群',
  '进群',
  '私聊',
  '加好友',
  '飞机号',
  'telegram',
  'whatsapp',
];

export const DEFAULT_REJECTION_TEMPLATES = [
  '职位信息不完整:请补充工作内容、工作地点和劳动报酬。',
  '薪资描述不清楚:请写明金额、单位和结算方式。',
  '含有向求职者收费的内容,不符合平台规定。',
  '含有性别、民族、地域等歧视性内容,请修改后重新提交。',
  '企业信息与营业执照不符,请核实后重新提交。',
];

export function loadSeedSite(): SeedSite {
  return JSON.parse(fs.readFileSync(path.join(SEED_DATA_DIR, 'site.json'), 'utf8')) as SeedSite;
}

/** Settings of a fresh install: the original site's seed, with SITE_HOTLINE / SITE_NAME from .env on top. */
export function defaultSettings(overrides: { hotline?: string; siteName?: string } = {}): SiteSettings {
  const seed = loadSeedSite();
  return {
    siteName: overrides.siteName ?? seed.siteName,
    companyName: seed.companyName,
    companyInfo: '地址:深圳市南山区科技园(示例地址) · 工作时间:周一至周六 8:30-18:00',
    hotlineLabel: seed.hotlineLabel,
    hotline: overrides.hotline ?? seed.hotline,
    icp: seed.icp,
    contactEmail: 'service@example.com',
    // Facts inside these texts are placeholders, filled in when shown: a change of hotline reaches them too.
    takedownContact: '如有侵权,请致电 {客服热线} 或发邮件至 {客服邮箱},我们将在 3 个工作日内删除。',
    aboutContent: `{网站名称}由{公司名称}运营,为深圳的工厂、仓储物流、餐饮服务等企业提供劳务派遣、临时工和兼职用工服务,也为求职者免费提供可靠的工作机会。\n\n我们坚持三条底线:不向求职者收取任何费用;每一个职位上线前都经过人工审核;每一份简历只给求职者投递的企业看。`,
    joinContent: `我们正在招聘招聘顾问、驻厂管理和客服专员。\n\n如果你熟悉深圳的用工市场,愿意帮助求职者找到靠谱的工作,欢迎致电客服热线 {客服热线},或把简历发送至 hr@example.com。`,
    footerLinks: seed.footerLinks.map((label) => ({ label, href: FOOTER_HREFS[label] ?? '/' })),
    keywordPages: seed.keywordLinks.map((label) => ({ label, ...(KEYWORD_PAGES[label] ?? { slug: encodeURIComponent(label), title: label, text: '', filter: { q: label } }) })),
    feeWords: DEFAULT_FEE_WORDS,
    discriminationWords: DEFAULT_DISCRIMINATION_WORDS,
    contactWords: DEFAULT_CONTACT_WORDS,
    rejectionTemplates: DEFAULT_REJECTION_TEMPLATES,
    dutyConsultantPhone: '',
    dutyConsultantEmail: '',
    leadCallbackPromise: '1 小时内',
    leadResponseMinutes: '60',
    workingHours: '08:30-18:00',
  };
}
