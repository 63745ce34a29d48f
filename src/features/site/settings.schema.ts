// Owns the shape of the editable site settings and their defaults (from .env and the original site's seed).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SEED_DATA_DIR } from '../../paths';

const link = z.object({
  label: z.string().trim().min(1, '链接文字不能为空').max(30, '链接文字不能超过 30 个字'),
  href: z
    .string()
    .trim()
    .refine((v) => /^\/(?!\/)[^\s]*$/.test(v) || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), '链接必须是站内路径 (/about) 或 http(s) 网址'),
});

export const keywordPageSchema = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '网址标识只能包含小写字母、数字和连字符'),
  label: z.string().trim().min(1, '关键词不能为空').max(30),
  title: z.string().trim().min(1, '标题不能为空').max(60),
  text: z.string().trim().max(5000),
  /** The job filter of the landing page: the same parameters as /jobs. */
  filter: z
    .object({
      q: z.string().trim().max(50).optional(),
      type: z.enum(['temp', 'parttime', 'dispatch', 'fulltime']).optional(),
      district: z.string().trim().max(20).optional(),
      settlement: z.enum(['daily', 'weekly', 'monthly', 'completion']).optional(),
    })
    .default({}),
});

const wordList = z.array(z.string().trim().min(1).max(20)).max(500);

export const siteSettingsSchema = z.object({
  siteName: z.string().trim().min(1, '网站名称不能为空').max(40),
  companyName: z.string().trim().min(1, '公司名称不能为空').max(60),
  companyInfo: z.string().trim().max(500),
  hotlineLabel: z.string().trim().min(1).max(10),
  hotline: z
    .string()
    .trim()
    .min(1, '客服热线不能为空')
    .regex(/^[0-9+\-\s()]{5,20}$/, '客服热线只能包含数字、空格和连字符,如 0755-8882 8155'),
  icp: z.string().trim().max(40),
  takedownContact: z.string().trim().min(1, '侵权删除联系方式不能为空').max(100),
  aboutContent: z.string().trim().max(20000),
  joinContent: z.string().trim().max(20000),
  footerLinks: z.array(link).max(20),
  keywordPages: z.array(keywordPageSchema).max(50),
  /** Words that ask seekers for money: a job containing one is refused. */
  feeWords: wordList,
  /** Words that restrict gender, ethnicity, religion or 户籍/地域: a job containing one is flagged for review. */
  discriminationWords: wordList,
  rejectionTemplates: z.array(z.string().trim().min(1).max(200)).max(50),
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

/** Landing pages of the original site's footer keywords. */
const KEYWORD_PAGES: Record<string, Omit<KeywordPage, 'label'>> = {
  劳务派遣: {
    slug: 'laowu-paiqian',
    title: '劳务派遣招聘信息',
    text: '劳务派遣是由派遣单位与劳动者订立劳动合同,再把劳动者派到用工单位工作的用工形式。本站所有劳务派遣职位都写明派遣单位和用工单位,派遣单位须持有劳务派遣经营许可证。求职全程免费,任何以押金、培训费等名义收费的行为请立即举报。',
    filter: { type: 'dispatch' },
  },
  深圳劳务派遣公司: {
    slug: 'shenzhen-laowu-paiqian-gongsi',
    title: '深圳劳务派遣公司招聘',
    text: '深圳各区正规劳务派遣公司发布的岗位:电子厂、物流仓储、餐饮服务等。每家企业都经过资质审核,认证企业带有“已认证”标识。',
    filter: { type: 'dispatch' },
  },
  劳务派遣公司: {
    slug: 'laowu-paiqian-gongsi',
    title: '劳务派遣公司岗位大全',
    text: '持证劳务派遣公司发布的派遣岗位,工资、结算方式、工作地点一目了然。依法签订劳动合同,同工同酬。',
    filter: { type: 'dispatch' },
  },
  深圳临时工派遣公司: {
    slug: 'shenzhen-linshigong-paiqian-gongsi',
    title: '深圳临时工派遣公司招聘',
    text: '深圳临时工岗位,日结、周结为主,适合短期找活。不收任何费用,工资按约定时间结算。',
    filter: { type: 'temp' },
  },
  深圳临时工派遣中介: {
    slug: 'shenzhen-linshigong-paiqian-zhongjie',
    title: '深圳临时工日结岗位',
    text: '找深圳临时工、日结工?这里汇集当天可上岗的日结岗位。正规渠道求职免费,凡要求先交钱的一律是骗局。',
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
  const siteName = overrides.siteName ?? seed.siteName;
  return {
    siteName,
    companyName: seed.companyName,
    companyInfo: '地址:深圳市南山区科技园(示例地址) · 工作时间:周一至周六 8:30-18:00',
    hotlineLabel: seed.hotlineLabel,
    hotline: overrides.hotline ?? seed.hotline,
    icp: seed.icp,
    takedownContact: `如有侵权,请致电 ${overrides.hotline ?? seed.hotline} 或发邮件至 service@example.com,我们将在 3 个工作日内删除。`,
    aboutContent: `${siteName}由${seed.companyName}运营,为深圳的工厂、仓储物流、餐饮服务等企业提供劳务派遣、临时工和兼职用工服务,也为求职者免费提供可靠的工作机会。\n\n我们坚持三条底线:不向求职者收取任何费用;每一个职位上线前都经过人工审核;每一份简历只给求职者投递的企业看。`,
    joinContent: `我们正在招聘招聘顾问、驻厂管理和客服专员。\n\n如果你熟悉深圳的用工市场,愿意帮助求职者找到靠谱的工作,欢迎致电客服热线 ${overrides.hotline ?? seed.hotline},或把简历发送至 hr@example.com。`,
    footerLinks: seed.footerLinks.map((label) => ({ label, href: FOOTER_HREFS[label] ?? '/' })),
    keywordPages: seed.keywordLinks.map((label) => ({ label, ...(KEYWORD_PAGES[label] ?? { slug: encodeURIComponent(label), title: label, text: '', filter: { q: label } }) })),
    feeWords: DEFAULT_FEE_WORDS,
    discriminationWords: DEFAULT_DISCRIMINATION_WORDS,
    rejectionTemplates: DEFAULT_REJECTION_TEMPLATES,
  };
}
