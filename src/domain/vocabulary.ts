// Owns the fixed vocabulary of the site: job types, pay units, settlements, statuses, districts, categories
// and benefits, each with its Chinese label. Forms, filters, search and views all read from here.

export const JOB_TYPES = { temp: '临时工', parttime: '兼职', dispatch: '劳务派遣', fulltime: '全职' } as const;
export type JobType = keyof typeof JOB_TYPES;

export const PAY_UNITS = { hour: '元/小时', day: '元/天', month: '元/月', piece: '元/件' } as const;
export type PayUnit = keyof typeof PAY_UNITS;

export const SETTLEMENTS = { daily: '日结', weekly: '周结', monthly: '月结', completion: '完工结' } as const;
export type Settlement = keyof typeof SETTLEMENTS;

export const JOB_STATUSES = {
  draft: '草稿',
  pending: '待审核',
  published: '招聘中',
  rejected: '未通过',
  closed: '已结束',
  expired: '已过期',
} as const;
export type JobStatus = keyof typeof JOB_STATUSES;

export const APPLICATION_STATUSES = {
  new: '已投递',
  viewed: '已查看',
  shortlisted: '初筛通过',
  hired: '已录用',
  rejected: '未通过',
  withdrawn: '已撤回',
  closed: '职位已结束',
} as const;
export type ApplicationStatus = keyof typeof APPLICATION_STATUSES;

export const REPORT_REASONS = {
  fee: '收取费用',
  fake_pay: '虚假待遇',
  impersonation: '冒充企业',
  scam: '刷单诈骗',
  discrimination: '歧视',
  other: '其他',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;

export const ARTICLE_CATEGORIES = { hr: '人力资讯', policy: '政策法规', industry: '行业新闻', company: '公司动态' } as const;
export type ArticleCategory = keyof typeof ARTICLE_CATEGORIES;

/** Shenzhen's districts (深圳市辖区), in the order locals list them. */
export const DISTRICTS = [
  '福田区',
  '罗湖区',
  '南山区',
  '盐田区',
  '宝安区',
  '龙岗区',
  '龙华区',
  '坪山区',
  '光明区',
  '大鹏新区',
] as const;

export const CATEGORIES = [
  '普工',
  '操作工',
  '仓储分拣',
  '搬运装卸',
  '快递配送',
  '服务员',
  '餐饮后厨',
  '保安',
  '保洁',
  '司机',
  '促销导购',
  '客服',
  '质检',
  '电工技工',
  '家政',
  '其他',
] as const;

/**
 * Kinds of workplace (issue 19): where the job is, chosen in the job form or inferred from its text. A query naming
 * one (电子厂, KTV) ranks jobs located there above jobs whose text merely mentions it.
 */
export const WORKPLACES = ['电子厂', '工厂', '物流园', '写字楼', '商场超市', '酒店', '餐厅', 'KTV', '小区物业', '医院', '学校', '工地', '港口机场', '其他'] as const;
export type Workplace = (typeof WORKPLACES)[number];

export const BENEFITS = ['包吃', '包住', '交社保', '有加班', '五险一金', '餐补', '交通补贴', '免费工装', '节日福利', '可长期'] as const;

export const GENDERS = { male: '男', female: '女' } as const;

/** Days of pay per month used to compare monthly pay with daily pay (国家法定月计薪天数). */
export const PAY_DAYS_PER_MONTH = 21.75;
export const PAY_HOURS_PER_DAY = 8;

/** Pay converted to 元/天 for sorting and the payMin filter; piece-rate pay has no daily equivalent. */
export function dailyPay(amount: number, unit: PayUnit): number | null {
  switch (unit) {
    case 'hour':
      return Math.round(amount * PAY_HOURS_PER_DAY * 100) / 100;
    case 'day':
      return amount;
    case 'month':
      return Math.round((amount / PAY_DAYS_PER_MONTH) * 100) / 100;
    case 'piece':
      return null;
  }
}

// ----- The online resume (微简历) -----

/** The pay units a seeker states a minimum in (the job units without 元/件). */
export const RESUME_PAY_UNITS = { hour: '元/时', day: '元/天', month: '元/月' } as const;
export type ResumePayUnit = keyof typeof RESUME_PAY_UNITS;

/** The settlements a seeker may prefer. */
export const PREFERRED_SETTLEMENTS = { daily: '日结', weekly: '周结', monthly: '月结' } as const;
export type PreferredSettlement = keyof typeof PREFERRED_SETTLEMENTS;

/** When a seeker can start. */
export const AVAILABILITY = { now: '随时', week: '一周内', month: '一个月内' } as const;
export type Availability = keyof typeof AVAILABILITY;

/** Certificates and skills employers of 普工, 保安, 司机 and 技工 work ask for most; seekers may add their own. */
export const CERTIFICATES = [
  '叉车证',
  'C1/C2 驾照',
  'A/B 驾照',
  '电工证',
  '焊工证',
  '保安员证',
  '健康证',
  '普通话',
  '会电脑',
  '会粤语',
  '退伍军人',
  '能上夜班',
] as const;
