// Owns the benchmark's made-up but realistic Chinese data: jobs, employers, seekers and articles from
// templates over the site's own vocabulary, driven by a seeded random source so every run seeds the same data.
import { addDays } from '../src/domain/dates';
import { BENEFITS, CATEGORIES, DISTRICTS, type JobType, type PayUnit, type Settlement } from '../src/domain/vocabulary';
import type { JobInput } from '../src/features/jobs/jobs.validation';

/** mulberry32: small, fast and deterministic. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

/** Per category: the job names people post, what the work is, and what is asked. */
const ROLES: Record<string, { names: string[]; work: string[]; asks: string[] }> = {
  普工: {
    names: ['普工', '电子厂普工', '流水线普工', '包装普工', '组装普工'],
    work: ['流水线组装手机配件、贴膜和包装', '小家电装配、打螺丝、上料', '产品包装、贴标签、装箱', '注塑车间取件、修披锋'],
    asks: ['无经验可培训上岗', '能适应两班倒', '会简单认字,视力良好'],
  },
  操作工: {
    names: ['操作工', '机台操作工', 'CNC 操作工', '贴片操作工'],
    work: ['看机、上料、简单检测', '按作业指导书操作设备,记录数据', '贴片机、插件线操作'],
    asks: ['初中以上学历', '有工厂经验优先', '无色盲色弱'],
  },
  仓储分拣: {
    names: ['分拣员', '仓库分拣员', '打包员', '拣货员', '理货员', '仓管员'],
    work: ['包裹分拣、扫码、上架', '电商仓库商品打包、贴单、封箱', '出入库登记、盘点、系统录入'],
    asks: ['会用智能手机扫码', '手脚麻利,无需经验', '能上夜班'],
  },
  搬运装卸: {
    names: ['装卸工', '搬运工', '搬家师傅', '卸货工'],
    work: ['货车装卸、搬运纸箱,单件不超过 25 公斤', '居民搬家打包、搬运、装车', '展会物料搬运和搭建'],
    asks: ['身体强壮,能吃苦', '服从现场安排', '能爬楼梯'],
  },
  快递配送: {
    names: ['快递员', '外卖骑手', '配送员', '跟车员'],
    work: ['片区小区和写字楼快递派送与揽收', '外卖配送,按单计费', '跟车送货、搬货上楼'],
    asks: ['会骑电动车,熟悉导航', '有电动车优先', '能吃苦'],
  },
  服务员: {
    names: ['服务员', '餐厅服务员', '传菜员', '酒店服务员', '收银员'],
    work: ['点餐、传菜、收台', '婚宴、会议宴会的传菜与收台', '前台收银、接待客人'],
    asks: ['形象整洁,普通话流利', '能站立工作', '有餐厅经验优先'],
  },
  餐饮后厨: {
    names: ['帮厨', '洗碗工', '切配', '奶茶店店员', '面点师傅'],
    work: ['后厨切配、洗菜、打荷', '酒楼洗碗、清洁后厨', '奶茶制作、收银、清洁'],
    asks: ['有健康证或入职后统一办理', '手脚勤快', '店长带教'],
  },
  保安: {
    names: ['保安', '小区保安', '写字楼保安', '停车场保安', '门岗保安'],
    work: ['门岗和巡逻,登记来访车辆和人员', '大堂和停车场安保', '商场秩序维护'],
    asks: ['身体健康,无犯罪记录', '有保安证优先', '身高 165cm 以上'],
  },
  保洁: {
    names: ['保洁员', '保洁阿姨', '写字楼保洁', '民宿保洁'],
    work: ['公共区域和卫生间保洁', '客房打扫、换洗床品', '商场地面和扶梯清洁'],
    asks: ['做事认真', '有保洁经验优先', '身体健康'],
  },
  司机: {
    names: ['货车司机', '叉车司机', '叉车工', '面包车司机'],
    work: ['4.2 米货车短途配送', '仓库叉车装卸和堆垛', '公司员工接送'],
    asks: ['持 C1 以上驾照', '持有效叉车证', '三年驾龄'],
  },
  促销导购: {
    names: ['促销员', '导购员', '发传单', '超市理货员'],
    work: ['商场促销,介绍产品、派发传单', '超市货架补货、整理陈列', '地铁口派发宣传单'],
    asks: ['口齿清楚,性格开朗', '周末两天都能上班', '能站立工作'],
  },
  客服: {
    names: ['客服专员', '电话客服', '在线客服', '前台接待'],
    work: ['电话和在线客服,处理订单咨询', '前台接待、办理入住退房', '售后回访'],
    asks: ['普通话标准', '打字每分钟 40 字以上', '会用电脑'],
  },
  质检: {
    names: ['质检员', 'QC 检验员', '外观检验员'],
    work: ['产品外观检验,挑出不良品', '用卡尺等量具检验尺寸,填写记录', '来料检验'],
    asks: ['视力良好', '会看图纸者优先', '高中以上学历'],
  },
  电工技工: {
    names: ['电工', '维修电工', '焊工', '物业维修工'],
    work: ['水电维修、设备巡检', '车间设备保养和维修', '钢结构焊接'],
    asks: ['持低压电工证', '两年以上经验', '持焊工证'],
  },
  家政: {
    names: ['家政保洁', '钟点工', '育儿嫂', '住家保姆'],
    work: ['上门日常保洁', '照顾婴幼儿起居', '做饭、打扫、接送小孩'],
    asks: ['做事细致', '有家政经验优先', '有健康证'],
  },
  其他: {
    names: ['杂工', '学徒', '展会临时工', '活动执行'],
    work: ['现场杂务和物料整理', '跟师傅学手艺', '活动现场布置'],
    asks: ['服从安排', '能吃苦', '无经验可学'],
  },
};

const PLACES: Record<string, string[]> = {
  福田区: ['车公庙', '华强北', '梅林', '沙头'],
  罗湖区: ['东门', '笋岗', '莲塘', '翠竹'],
  南山区: ['科技园', '蛇口', '西丽', '后海'],
  盐田区: ['盐田港', '沙头角', '大梅沙'],
  宝安区: ['西乡', '福永', '沙井', '松岗', '石岩'],
  龙岗区: ['布吉', '坂田', '横岗', '平湖', '大运'],
  龙华区: ['观澜', '民治', '大浪', '龙华'],
  坪山区: ['坑梓', '龙田', '坪山'],
  光明区: ['公明', '马田', '凤凰'],
  大鹏新区: ['南澳', '葵涌', '大鹏'],
};

const TYPE_SUFFIX: Record<JobType, string[]> = {
  temp: ['临时工', '日结', '急招', '短期工', ''],
  parttime: ['兼职', '周末兼职', '小时工', ''],
  dispatch: ['派遣', '劳务派遣', '长期', ''],
  fulltime: ['全职', '长期', '包吃住', ''],
};

const SETTLEMENTS_OF: Record<JobType, Settlement[]> = {
  temp: ['daily', 'daily', 'weekly', 'completion'],
  parttime: ['daily', 'weekly', 'weekly'],
  dispatch: ['monthly'],
  fulltime: ['monthly'],
};

/** Pay per unit, realistic for Shenzhen: [min, max] of the lower bound. */
const PAY: Record<PayUnit, [number, number]> = { hour: [20, 45], day: [150, 380], month: [4200, 8000], piece: [1, 8] };
const UNITS_OF: Record<JobType, PayUnit[]> = {
  temp: ['day', 'day', 'hour', 'piece'],
  parttime: ['hour', 'hour', 'day'],
  dispatch: ['month'],
  fulltime: ['month', 'month', 'piece'],
};
const SHIFTS = ['8:00-20:00 两班倒', '长白班 8:00-17:30', '晚班 20:00-次日 6:00', '周末 9:00-18:00', '时间灵活,可选班次', '9:00-18:00 双休'];
const TYPES: JobType[] = ['temp', 'temp', 'parttime', 'dispatch', 'fulltime'];

export type Company = { name: string; creditCode: string; contactName: string; contactPhone: string; address: string; intro: string; licenseNo: string | null };

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '梁'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '平', '刚', '桂英'];
const TRADES = ['人力资源', '劳务派遣', '物流', '电子科技', '餐饮管理', '物业服务', '供应链', '精密制造', '保安服务', '家政服务'];
const BRANDS = ['鹏城', '南粤', '华达', '众信', '宏图', '联创', '恒通', '安居', '顺捷', '佳美', '新锐', '同心', '金源', '汇丰', '德诚'];

export const personName = (rand: Rand) => pick(rand, SURNAMES) + pick(rand, GIVEN);
/** A mainland mobile number unique per `n` within one prefix. */
export const phoneOf = (prefix: string, n: number) => `${prefix}${String(n).padStart(8, '0')}`;

export function companyOf(rand: Rand, n: number): Company {
  const district = pick(rand, DISTRICTS);
  const trade = pick(rand, TRADES);
  const contact = personName(rand);
  return {
    name: `深圳市${pick(rand, BRANDS)}${trade}有限公司${n}号`,
    creditCode: `91440300MA5B${String(n).padStart(5, '0')}X`,
    contactName: contact,
    contactPhone: phoneOf('137', n),
    address: `深圳市${district}${pick(rand, PLACES[district]!)}街道工业路 ${int(rand, 1, 300)} 号`,
    intro: `${trade}企业,在${district}设有办公点,长期招聘一线员工,所有岗位不向求职者收取任何费用,工资按时足额发放。`,
    licenseNo: trade === '劳务派遣' || trade === '人力资源' ? `4403${String(n).padStart(11, '0')}` : null,
  };
}

/** One job posting as the form would submit it. */
export function jobInputOf(rand: Rand, company: Company, today: string): JobInput {
  const type = pick(rand, TYPES);
  const category = pick(rand, CATEGORIES);
  const role = ROLES[category]!;
  const district = pick(rand, DISTRICTS);
  const place = pick(rand, PLACES[district]!);
  const payUnit = pick(rand, UNITS_OF[type]);
  const [lo, hi] = PAY[payUnit];
  const payMin = int(rand, lo, hi);
  const payMax = rand() < 0.7 ? payMin + int(rand, 1, Math.max(2, Math.round(payMin * 0.25))) : null;
  const settlement = pick(rand, SETTLEMENTS_OF[type]);
  const benefits = BENEFITS.filter(() => rand() < 0.3);
  const prefix = rand() < 0.5 ? place : '';
  const title = `${prefix}${pick(rand, role.names)} ${pick(rand, TYPE_SUFFIX[type])}`.trim();
  const dispatch = type === 'dispatch';
  return {
    title,
    type,
    category,
    district,
    workplace: null,
    address: `${district}${place}街道${pick(rand, ['工业园', '物流园', '商业街', '科技园', '住宅小区'])} ${int(rand, 1, 30)} 栋`,
    payMin,
    payMax,
    payUnit,
    settlement,
    headcount: int(rand, 1, 80),
    shift: pick(rand, SHIFTS),
    startDate: null,
    endDate: null,
    ageMin: 18,
    ageMax: int(rand, 35, 55),
    requirements: `${pick(rand, role.asks)},${pick(rand, role.asks)}`,
    benefits,
    description: `${place}${pick(rand, role.names)}:${pick(rand, role.work)}。${benefits.length ? `${benefits.join('、')}。` : ''}工作地点在${district}${place},${settlement === 'daily' ? '当天结算工资' : '工资按时发放'}。`,
    contactName: company.contactName,
    contactPhone: company.contactPhone,
    dispatchAgencyName: dispatch ? company.name : null,
    dispatchAgencyLicense: dispatch ? (company.licenseNo ?? `4403${String(int(rand, 1, 99999)).padStart(11, '0')}`) : null,
    worksiteEmployerName: dispatch ? `深圳${place}${pick(rand, BRANDS)}电子有限公司` : null,
    validUntil: addDays(today, int(rand, 1, 60)),
    feeAttested: true,
  };
}

const TOPICS = ['社保', '最低工资', '劳务派遣', '灵活用工', '技能培训', '招聘会', '春节返工', '高温补贴', '积分入户', '劳动合同'];
const ARTICLE_KINDS = ['hr', 'policy', 'industry', 'company'] as const;

export function articleOf(rand: Rand, n: number) {
  const topic = pick(rand, TOPICS);
  const district = pick(rand, DISTRICTS);
  const title = `${district}${topic}${pick(rand, ['新规解读', '最新消息', '办事指南', '常见问题', '调整通知', '十问十答'])}(${n})`;
  const paragraphs = Array.from({ length: int(rand, 4, 9) }, (_, i) => {
    const sentence = `${district}人力资源部门介绍,${topic}相关事项自今年起按新办法执行,劳动者可通过线上渠道查询和办理。第${i + 1}点:用人单位应依法签订劳动合同,按时足额支付工资,不得向求职者收取任何费用。`;
    return `<p>${sentence.repeat(int(rand, 1, 3))}</p>`;
  });
  return {
    title,
    summary: `${district}${topic}相关政策和办事流程的要点整理。`,
    bodyHtml: paragraphs.join('\n'),
    category: pick(rand, ARTICLE_KINDS),
    author: personName(rand),
  };
}
