// Owns the demo jobs of a fresh install: two verified demo employers and 40 published Shenzhen jobs
// across every type, district, pay unit and settlement. Logins 13800000001 / 13800000002; their password is
// random for each seeding and printed once at start (src/seeders.ts), never a fixed one.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { consents, employerProfiles, jobs, users } from '../../db/schema';
import { addDays, chinaDate } from '../../domain/dates';
import { PRIVACY_POLICY_VERSION } from '../../domain/policy';
import type { JobType, PayUnit, Settlement } from '../../domain/vocabulary';
import { hashPassword } from '../accounts/accounts.service';
import type { Seeder } from '../../db/seed';
import { jobColumns, screenPosting, searchColumns } from './jobs.service';
import type { JobInput } from './jobs.validation';
import { DEFAULT_CONTACT_WORDS, DEFAULT_FEE_WORDS, DEFAULT_DISCRIMINATION_WORDS } from '../site/settings.schema';

export const DEMO_EMPLOYERS = [
  {
    login: '13800000001',
    displayName: '王经理',
    companyName: '深圳市鹏城人力资源服务有限公司(演示)',
    creditCode: '91440300MA5GPC001M',
    contactName: '王经理',
    contactPhone: '13800000001',
    address: '深圳市南山区科技园科技中一路 18 号 5 楼',
    intro: '演示企业。持证劳务派遣机构,为深圳电子、物流、餐饮企业提供劳务派遣和临时用工服务,所有岗位不向求职者收取任何费用,工资按时足额发放。',
    licenseNo: '440305202300128',
  },
  {
    login: '13800000002',
    displayName: '李主管',
    companyName: '深圳市南粤物流服务有限公司(演示)',
    creditCode: '91440300MA5GNY0023',
    contactName: '李主管',
    contactPhone: '13800000002',
    address: '深圳市宝安区福永街道物流园 A 栋',
    intro: '演示企业。在宝安、龙华、龙岗设有仓储物流中心,同时经营连锁餐厅和物业保洁业务,长期招聘分拣、装卸、服务员和保洁人员。',
    licenseNo: null,
  },
] as const;

type Demo = [
  title: string,
  type: JobType,
  category: string,
  district: string,
  address: string,
  pay: [number, number | null, PayUnit],
  settlement: Settlement,
  headcount: number,
  shift: string,
  benefits: string[],
  description: string,
  requirements: string,
  ages: [number | null, number | null],
  employer: 0 | 1,
  dispatch?: [worksite: string],
];

const DEMO_JOBS: Demo[] = [
  ['电子厂普工日结', 'temp', '普工', '宝安区', '沙井街道新桥工业园 3 栋', [220, 240, 'day'], 'daily', 30, '8:00-20:00 两班倒', ['包吃', '包住', '有加班'], '电子厂流水线普工,负责手机配件组装、贴膜和包装。坐着干活,有空调,每天 11 小时含 1 小时吃饭。', '能适应两班倒,会简单认字,无经验可培训上岗', [18, 45], 0],
  ['京东物流园分拣员', 'temp', '仓储分拣', '龙华区', '观澜街道京东亚洲一号物流园', [25, 28, 'hour'], 'daily', 50, '晚班 20:00-次日 6:00', ['包吃', '交通补贴'], '物流园包裹分拣、扫码、上架,按系统提示把包裹放到对应区域。站立工作,夜班有宵夜。', '身体健康,能上夜班,会用智能手机扫码', [18, 50], 1],
  ['餐厅服务员兼职', 'parttime', '服务员', '福田区', '车公庙泰然九路商业街', [22, null, 'hour'], 'weekly', 6, '11:00-14:00 或 17:00-21:00,可选', ['餐补', '免费工装'], '中餐厅午市、晚市服务员兼职:点餐、传菜、收台。每周至少 3 天,时间灵活,适合学生和宝妈。', '形象整洁,普通话流利,有餐厅经验优先', [18, 40], 1],
  ['小区保安', 'fulltime', '保安', '南山区', '南山区蛇口街道海上世界附近住宅小区', [5500, 6000, 'month'], 'monthly', 4, '12 小时两班倒,月休 4 天', ['包住', '交社保', '五险一金'], '住宅小区门岗和巡逻,登记来访车辆和人员,处理简单纠纷。公司统一培训,提供住宿。', '身体健康,无犯罪记录,有保安证优先', [20, 55], 1],
  ['物流园装卸工 日结', 'temp', '搬运装卸', '宝安区', '福永街道物流园 A 栋', [280, 320, 'day'], 'daily', 20, '9:00-18:00', ['包吃'], '货车装卸、搬运纸箱,单件不超过 25 公斤。有叉车协助,当天结算工资。', '身体强壮,能吃苦耐劳', [18, 50], 1],
  ['派遣 电子厂操作工', 'dispatch', '操作工', '光明区', '光明区公明街道电子产业园', [4800, 6200, 'month'], 'monthly', 40, '长白班 8:00-17:30,加班另计', ['包吃', '包住', '交社保', '有加班'], '贴片机、插件线操作工,负责上料、看机、简单检测。依法签订劳动合同,与用工单位员工同工同酬。', '初中以上学历,视力良好,无色盲色弱', [18, 40], 0, ['深圳光明演示电子科技有限公司']],
  ['超市理货员兼职', 'parttime', '促销导购', '罗湖区', '东门步行街附近大型超市', [20, 23, 'hour'], 'weekly', 8, '周末 9:00-18:00', ['餐补'], '超市货架补货、整理陈列、核对价签,偶尔协助促销活动。', '做事细心,周末两天都能上班', [18, 45], 1],
  ['快递员 多劳多得', 'fulltime', '快递配送', '龙岗区', '龙岗区布吉街道快递站点', [2, 3, 'piece'], 'monthly', 10, '8:00-19:00,月休 4 天', ['交社保', '交通补贴', '可长期'], '负责布吉片区小区和写字楼的快递派送与揽收,每天约 150-200 件,公司提供电动车。', '会骑电动车,熟悉导航,能吃苦', [20, 45], 1],
  ['保洁阿姨 写字楼', 'fulltime', '保洁', '福田区', '福田区 CBD 写字楼', [4200, 4500, 'month'], 'monthly', 5, '7:00-16:00,月休 4 天', ['包吃', '交社保'], '写字楼公共区域和卫生间保洁,工作轻松,有固定休息时间。', '身体健康,做事认真,有保洁经验优先', [30, 58], 1],
  ['暑假工 电子厂包吃住', 'temp', '普工', '龙华区', '龙华区大浪街道工业区', [23, null, 'hour'], 'monthly', 60, '两班倒,每天 10-11 小时', ['包吃', '包住', '有加班'], '暑假短期工,做满 45 天。流水线组装、检测、包装,有老员工带。', '年满 16 周岁的学生需监护人同意书', [16, 30], 0],
  ['仓库打包员 日结', 'temp', '仓储分拣', '坪山区', '坪山区坑梓街道电商仓库', [200, 220, 'day'], 'daily', 25, '9:00-19:00', ['包吃'], '电商仓库商品打包、贴单、封箱,按件不按重,工作简单易上手。', '手脚麻利,无需经验', [18, 50], 1],
  ['酒店传菜员 完工结', 'temp', '服务员', '南山区', '南山区后海大型酒店宴会厅', [180, 200, 'day'], 'completion', 15, '周六 10:00-21:00', ['包吃', '免费工装'], '婚宴、会议宴会的传菜与收台,一场结束后当天结算工资。', '能站立工作,服从安排', [18, 45], 0],
  ['叉车司机 派遣', 'dispatch', '司机', '宝安区', '宝安区石岩街道物流中心', [6500, 7500, 'month'], 'monthly', 6, '8:00-18:00,周末双休轮休', ['包吃', '交社保', '五险一金'], '仓库叉车作业,负责货物上下架和装卸车,由派遣单位签订劳动合同。', '持有效叉车证(N1),一年以上经验', [20, 50], 0, ['深圳石岩演示供应链有限公司']],
  ['奶茶店店员兼职', 'parttime', '餐饮后厨', '龙岗区', '龙岗区大运中心商圈', [21, 24, 'hour'], 'weekly', 4, '18:00-22:00', ['餐补'], '奶茶制作、收银、清洁,店长带教,周结工资。', '会用手机点单系统,有亲和力', [18, 30], 1],
  ['质检员 派遣 长白班', 'dispatch', '质检', '坪山区', '坪山区新能源汽车产业园', [5500, 6500, 'month'], 'monthly', 12, '长白班 8:30-17:30', ['包吃', '包住', '交社保'], '汽车零部件外观和尺寸检验,用卡尺等简单量具,填写检验记录。', '高中以上学历,会看图纸者优先', [18, 40], 0, ['深圳坪山演示汽车部件有限公司']],
  ['搬家搬运工 日结', 'temp', '搬运装卸', '罗湖区', '罗湖区各小区,公司统一派单', [300, 350, 'day'], 'daily', 8, '8:00-18:00', ['包吃'], '居民搬家的打包、搬运、装车,多劳多得,当天结算。', '身体强壮,能爬楼梯', [20, 50], 1],
  ['外卖骑手 兼职', 'parttime', '快递配送', '福田区', '福田区华强北站点', [5, 8, 'piece'], 'daily', 30, '时间自由,午高峰晚高峰', ['交通补贴'], '外卖配送,每单 5 到 8 元,按单计费,跑得多赚得多,日结。', '有电动车,会用导航', [18, 50], 1],
  ['盐田港集装箱理货员', 'fulltime', '仓储分拣', '盐田区', '盐田港区物流中心', [6000, 7000, 'month'], 'monthly', 5, '三班倒', ['包吃', '交社保', '五险一金', '节日福利'], '集装箱进出港的理货、核对单证、录入系统。', '高中以上学历,会用电脑', [20, 40], 1],
  ['大鹏民宿保洁 周末兼职', 'parttime', '保洁', '大鹏新区', '大鹏新区南澳街道民宿', [25, null, 'hour'], 'weekly', 6, '周末 10:00-16:00', ['包吃'], '民宿客房打扫、换洗床品,旺季周末用工。', '做事干净利落', [20, 55], 1],
  ['促销员 商场周末', 'parttime', '促销导购', '南山区', '南山区海岸城购物中心', [180, 220, 'day'], 'daily', 10, '周末 10:00-20:00', ['餐补'], '家电品牌商场促销,介绍产品、派发传单,有提成。', '口齿清楚,性格开朗', [18, 35], 0],
  ['临时工 展会搭建', 'temp', '搬运装卸', '福田区', '福田区会展中心', [260, 300, 'day'], 'daily', 40, '展前 2 天 8:00-20:00', ['包吃'], '展会展位搭建、拆除和物料搬运,干完当天结算。', '能吃苦,服从现场安排', [18, 50], 0],
  ['后厨帮工 派遣', 'dispatch', '餐饮后厨', '龙华区', '龙华区民治街道企业食堂', [4600, 5200, 'month'], 'monthly', 8, '6:00-14:00', ['包吃', '包住', '交社保'], '企业食堂后厨切配、洗菜、打荷,由派遣单位缴纳社保。', '有健康证或入职后统一免费办理', [18, 50], 0, ['深圳龙华演示餐饮管理有限公司']],
  ['光明区普工 周结', 'temp', '普工', '光明区', '光明区马田街道工业园', [22, 25, 'hour'], 'weekly', 35, '两班倒', ['包吃', '包住'], '小家电组装普工,周结工资,做满 30 天另有奖励。', '18 岁以上,能适应夜班', [18, 45], 0],
  ['物业维修电工', 'fulltime', '电工技工', '龙岗区', '龙岗区坂田街道住宅小区', [6500, 8000, 'month'], 'monthly', 2, '8:30-17:30,值班另计', ['交社保', '五险一金', '包住'], '小区水电维修、设备巡检。', '持低压电工证,两年以上物业维修经验', [22, 50], 1],
  ['家政保洁 钟点工', 'parttime', '家政', '南山区', '南山区各小区上门', [40, 45, 'hour'], 'daily', 10, '时间自选,每次 3 小时起', ['交通补贴'], '上门日常保洁,公司派单,当天结算。', '做事细致,有家政经验优先', [25, 55], 1],
  ['分拣员 夜班 派遣', 'dispatch', '仓储分拣', '龙岗区', '龙岗区平湖物流园', [5200, 6500, 'month'], 'monthly', 30, '夜班 19:00-次日 7:00', ['包吃', '包住', '交社保', '有加班'], '快递转运中心包裹分拣,派遣单位签订劳动合同,同工同酬。', '能适应夜班', [18, 45], 0, ['深圳平湖演示快运有限公司']],
  ['客服专员 全职', 'fulltime', '客服', '罗湖区', '罗湖区人民南路写字楼', [5000, 6500, 'month'], 'monthly', 6, '9:00-18:00 双休', ['交社保', '五险一金', '节日福利'], '电话和在线客服,处理订单咨询,有系统培训。', '普通话标准,打字每分钟 40 字以上', [18, 35], 1],
  ['司机 货车 完工结', 'temp', '司机', '宝安区', '宝安区西乡街道', [500, 600, 'day'], 'completion', 3, '按趟计', [], '4.2 米货车短途配送,一趟结束即结算。', '持 C1 以上驾照,三年驾龄', [25, 55], 1],
  ['盐田港临时工 日结', 'temp', '搬运装卸', '盐田区', '盐田区沙头角仓库', [250, 280, 'day'], 'daily', 15, '8:00-18:00', ['包吃'], '仓库货物搬运和整理。', '身体健康', [18, 50], 1],
  ['电子厂普工 派遣 包吃住', 'dispatch', '普工', '宝安区', '宝安区松岗街道电子厂', [5000, 6500, 'month'], 'monthly', 50, '两班倒,每月休 4 天', ['包吃', '包住', '交社保', '有加班'], '手机零部件生产线普工,派遣单位签订劳动合同、缴纳社保。', '初中以上学历', [18, 42], 0, ['深圳松岗演示精密电子有限公司']],
  ['坪山 质检员 临时', 'temp', '质检', '坪山区', '坪山区龙田街道工厂', [24, 26, 'hour'], 'weekly', 10, '8:00-20:00', ['包吃', '包住'], '产品外观检验,挑出划痕、脏污等不良品。', '视力良好', [18, 40], 0],
  ['兼职 发传单', 'parttime', '促销导购', '龙华区', '龙华区龙华街道地铁口', [150, null, 'day'], 'daily', 12, '10:00-17:00', [], '地铁口派发楼盘宣传单,当天结算。', '能站立工作', [16, 50], 0],
  ['大鹏海鲜餐厅服务员', 'fulltime', '服务员', '大鹏新区', '大鹏新区南澳海鲜街', [4800, 5500, 'month'], 'monthly', 6, '10:00-21:00 中间休息', ['包吃', '包住', '节日福利'], '海鲜餐厅点菜、传菜、收银,旺季有奖金。', '能吃苦,有服务员经验优先', [18, 40], 1],
  ['派遣 仓管员', 'dispatch', '仓储分拣', '南山区', '南山区西丽物流中心', [5500, 6500, 'month'], 'monthly', 3, '9:00-18:00', ['交社保', '五险一金', '餐补'], '出入库登记、盘点、系统录入,由派遣单位签订合同。', '会用 Excel,有仓管经验', [20, 40], 0, ['深圳西丽演示仓储有限公司']],
  ['计件 服装车位工', 'temp', '操作工', '龙岗区', '龙岗区横岗街道服装厂', [1, 3, 'piece'], 'weekly', 20, '8:00-21:00', ['包吃', '包住'], '服装车位,按件计价,熟手日收入 300 元以上,周结。', '会平车、冚车,熟手', [18, 50], 0],
  ['福田 写字楼保安 派遣', 'dispatch', '保安', '福田区', '福田区深南大道写字楼', [5200, 5800, 'month'], 'monthly', 6, '12 小时两班倒', ['包住', '交社保'], '写字楼大堂和停车场安保,派遣单位签订劳动合同。', '身高 165cm 以上,无犯罪记录', [20, 45], 0, ['深圳福田演示物业服务有限公司']],
  ['罗湖 餐厅洗碗工 日结', 'temp', '餐饮后厨', '罗湖区', '罗湖区东门酒楼', [160, 180, 'day'], 'daily', 4, '10:00-21:00', ['包吃'], '酒楼洗碗、清洁后厨,当天结算。', '手脚勤快', [18, 58], 1],
  ['寒假工 物流分拣', 'temp', '仓储分拣', '龙华区', '龙华区观澜物流园', [22, 24, 'hour'], 'completion', 80, '两班倒', ['包吃', '包住'], '春节前电商旺季分拣,做满 30 天完工一次结清。', '16 周岁以上学生需监护人同意', [16, 35], 0],
  ['光明 仓库叉车工', 'fulltime', '司机', '光明区', '光明区凤凰街道仓库', [7000, 8000, 'month'], 'monthly', 2, '8:00-18:00', ['包吃', '包住', '交社保', '五险一金'], '仓库叉车装卸和堆垛。', '持叉车证', [22, 50], 1],
  ['盐田 民宿前台 兼职', 'parttime', '客服', '盐田区', '盐田区大梅沙', [22, 25, 'hour'], 'weekly', 2, '周末 8:00-16:00', ['包吃'], '民宿前台接待、办理入住退房。', '普通话标准,会简单英语优先', [18, 35], 1],
];

function demoInput(d: Demo, employer: (typeof DEMO_EMPLOYERS)[number], validUntil: string): JobInput {
  const [title, type, category, district, address, [payMin, payMax, payUnit], settlement, headcount, shift, benefits, description, requirements, [ageMin, ageMax], , dispatch] = d;
  return {
    title,
    type,
    category,
    district,
    workplace: null,
    address,
    payMin,
    payMax,
    payUnit,
    settlement,
    headcount,
    shift,
    startDate: null,
    endDate: null,
    ageMin,
    ageMax,
    requirements,
    benefits,
    description,
    contactName: employer.contactName,
    contactPhone: employer.contactPhone,
    dispatchAgencyName: dispatch ? employer.companyName : null,
    dispatchAgencyLicense: dispatch ? employer.licenseNo : null,
    worksiteEmployerName: dispatch ? dispatch[0] : null,
    validUntil,
    feeAttested: true,
  };
}

/** The demo job inputs (exported so a test can run each through the job form's rules). */
export function demoJobInputs(today: string): { employer: 0 | 1; input: JobInput }[] {
  return DEMO_JOBS.map((d, i) => ({ employer: d[13], input: demoInput(d, DEMO_EMPLOYERS[d[13]], addDays(today, 30 + (i % 4) * 10)) }));
}

export function jobsDemoSeeder(now: () => Date, password: string): Seeder {
  return {
    name: 'jobs',
    async run(tx: Db) {
      const at = now();
      const passwordHash = await hashPassword(password);
      const ids: number[] = [];
      for (const e of DEMO_EMPLOYERS) {
        const [user] = await tx
          .insert(users)
          // The demo numbers are nobody's to prove: the account's phone, unverified, and never asked to verify it.
          .values({ login: e.login, phone: e.login, phonePromptedAt: at, passwordHash, role: 'employer', displayName: e.displayName, policyVersion: PRIVACY_POLICY_VERSION, policyAcceptedAt: sql`now()` })
          .returning({ id: users.id });
        await tx.insert(consents).values({ userId: user!.id, kind: 'privacy_policy', policyVersion: PRIVACY_POLICY_VERSION });
        await tx.insert(employerProfiles).values({
          userId: user!.id,
          companyName: e.companyName,
          creditCode: e.creditCode,
          contactName: e.contactName,
          contactPhone: e.contactPhone,
          address: e.address,
          intro: e.intro,
          licenseNo: e.licenseNo,
          verifiedAt: at,
        });
        ids.push(user!.id);
      }
      const inputs = demoJobInputs(chinaDate(at));
      for (const [i, { employer, input }] of inputs.entries()) {
        // The same screen as a real posting: demo text must not teach employers what is refused.
        const flaggedWords = screenPosting(input, { feeWords: DEFAULT_FEE_WORDS, discriminationWords: DEFAULT_DISCRIMINATION_WORDS, contactWords: DEFAULT_CONTACT_WORDS });
        const publishedAt = new Date(at.getTime() - (i * 3 + 1) * 3600_000);
        const content = jobColumns(input);
        await tx.insert(jobs).values({
          ...content,
          ...searchColumns(content, DEMO_EMPLOYERS[employer].companyName),
          employerId: ids[employer],
          status: 'published',
          flaggedWords,
          submittedAt: publishedAt,
          publishedAt,
          createdAt: publishedAt,
          updatedAt: publishedAt,
        });
      }
      return inputs.length;
    },
  };
}
