// `npm run bench:search`: the quality of job search (issue 19), measured the same way every time. A generated
// corpus of jobs whose true fields are known (category, type, settlement, benefits, workplace, district) goes
// into an in-memory database through the app's own columns; queries written as Shenzhen workers type them are
// run through the app's search; relevance is judged by rules on the true fields, never on the text. Prints
// nDCG@10, P@5 and the zero-result rate. Not a timed test, not part of `npm test` (`.ci/run` runs --smoke).
//
//   npm run bench:search               # 600 jobs, every query
//   npm run bench:search -- --smoke    # the same, fewer jobs: checks the bench still runs
//   npm run bench:search -- --verbose  # each query's figures and its top 5
import { parseArgs } from 'node:util';
import { openDb } from '../src/db/client';
import { employerProfiles, jobs, users } from '../src/db/schema';
import { addDays, chinaDate } from '../src/domain/dates';
import { BENEFITS, DISTRICTS, type JobType, type Settlement } from '../src/domain/vocabulary';
import * as queries from '../src/features/jobs/jobs.queries';
import * as service from '../src/features/jobs/jobs.service';
import { parseJobListQuery, type JobInput } from '../src/features/jobs/jobs.validation';
import { pick, randomSource, type Rand } from './templates';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, jobs: { type: 'string' } } });

/** The true fields of a generated job: what relevance is judged on. */
type Truth = { category: string; type: JobType; settlement: Settlement; benefits: string[]; workplace: string; district: string };

// ---- The corpus ----

/** Titles people post per category: the formal name and the everyday ones. */
const TITLES: Record<string, string[]> = {
  普工: ['普工', '生产普工', '打杂工', '杂工', '车间辅工', '包装工', '组装工', '流水线普工', '小工', '普通工人'],
  操作工: ['操作工', 'CNC操作工', '注塑工', '冲压工', '机台操作员', 'SMT操作员', '啤机操作工', '设备操作员'],
  仓储分拣: ['分拣员', '拣货员', '理货员', '仓管员', '打包员', '仓库文员', '配货员', '盘点员', '上架员'],
  搬运装卸: ['搬运工', '装卸工', '卸货工', '装柜工', '搬家师傅', '装车工'],
  快递配送: ['快递员', '派件员', '外卖骑手', '配送员', '送货员', '收派员'],
  服务员: ['服务员', '传菜员', '迎宾', '收银员', '前台接待', '楼面服务员', '客房服务员', '咨客'],
  餐饮后厨: ['帮厨', '洗碗工', '厨工', '切配', '面点师', '打荷', '食堂阿姨', '厨房杂工'],
  保安: ['保安', '保安员', '门卫', '安检员', '巡逻员', '秩序维护员', '消控员', '门岗保安'],
  保洁: ['保洁员', '清洁工', '保洁阿姨', '开荒保洁', '环卫工', '清洁员'],
  司机: ['司机', '货车司机', '叉车司机', '商务车司机', '送货司机', '班车司机', 'C1司机'],
  促销导购: ['促销员', '导购员', '店员', '试吃促销', '地推', '营业员', '售货员'],
  客服: ['客服', '电话客服', '话务员', '跟单员', '文员', '售后客服', '在线客服'],
  质检: ['质检员', 'QC', '品检员', 'IQC来料检验', '验货员', '全检员', 'QA品管'],
  电工技工: ['电工', '维修电工', '水电工', '焊工', '机修工', '空调维修工'],
  家政: ['家政员', '保姆', '育儿嫂', '月嫂', '护理员', '住家阿姨'],
};

/** Where each kind of job is, with weights: a generated job's workplace. */
const WORKPLACES_OF: Record<string, string[]> = {
  普工: ['电子厂', '电子厂', '工厂', '工厂', '物流园'],
  操作工: ['电子厂', '工厂', '工厂'],
  仓储分拣: ['物流园', '物流园', '商场超市', '电子厂'],
  搬运装卸: ['物流园', '物流园', '工厂', '港口机场', '商场超市'],
  快递配送: ['物流园', '其他', '餐厅'],
  服务员: ['餐厅', '酒店', 'KTV', '商场超市', '餐厅'],
  餐饮后厨: ['餐厅', '酒店', '学校', '医院', '工厂'],
  保安: ['小区物业', '写字楼', '商场超市', '工厂', '港口机场', 'KTV'],
  保洁: ['写字楼', '小区物业', '商场超市', '医院', '酒店'],
  司机: ['物流园', '工厂', '其他'],
  促销导购: ['商场超市', '商场超市', '其他'],
  客服: ['写字楼', '写字楼', '电子厂'],
  质检: ['电子厂', '工厂', '物流园'],
  电工技工: ['小区物业', '工厂', '写字楼', '工地'],
  家政: ['其他', '小区物业', '医院'],
};

/** How a posting names its workplace in the text: several ways each, as employers write. */
const WORKPLACE_PHRASES: Record<string, string[]> = {
  电子厂: ['电子厂', '大型电子厂', '手机配件电子厂', '电子科技公司车间'],
  工厂: ['五金厂', '塑胶厂', '食品厂', '工厂车间', '印刷厂'],
  物流园: ['物流园', '电商仓库', '物流中心', '快递分拨中心'],
  写字楼: ['写字楼', '甲级写字楼', '商务大厦', '办公楼'],
  商场超市: ['商场', '大型超市', '购物中心', '连锁超市'],
  酒店: ['酒店', '星级酒店', '商务酒店', '宾馆'],
  餐厅: ['餐厅', '连锁餐饮门店', '酒楼', '快餐店'],
  KTV: ['KTV', '量贩KTV', '歌厅', '酒吧'],
  小区物业: ['小区', '物业公司', '住宅小区', '花园小区'],
  医院: ['医院', '社康中心', '民营医院'],
  学校: ['学校', '学校食堂', '幼儿园'],
  工地: ['工地', '建筑工地', '装修工地'],
  港口机场: ['机场', '盐田港码头', '港口'],
  其他: ['门店', '公司', '站点'],
};

const PLACES: Record<string, string[]> = {
  福田区: ['车公庙', '华强北', '梅林', '上沙'],
  罗湖区: ['东门', '国贸', '笋岗', '清水河'],
  南山区: ['蛇口', '科技园', '西丽', '南头'],
  盐田区: ['沙头角', '盐田港', '大梅沙'],
  宝安区: ['西乡', '福永', '沙井', '松岗', '石岩'],
  龙岗区: ['布吉', '坂田', '横岗', '平湖'],
  龙华区: ['观澜', '大浪', '民治', '龙华'],
  坪山区: ['坑梓', '碧岭', '坪山'],
  光明区: ['公明', '凤凰', '玉塘'],
  大鹏新区: ['葵涌', '南澳', '大鹏'],
};

const TYPES: JobType[] = ['temp', 'temp', 'parttime', 'dispatch', 'fulltime', 'fulltime'];
const SETTLEMENTS_OF: Record<JobType, Settlement[]> = {
  temp: ['daily', 'daily', 'weekly', 'completion'],
  parttime: ['daily', 'weekly', 'completion'],
  dispatch: ['monthly', 'weekly', 'daily'],
  fulltime: ['monthly', 'monthly', 'weekly'],
};
const TYPE_WORDS: Record<JobType, string[]> = { temp: ['临时工', '短期', '零工', ''], parttime: ['兼职', '小时工', '周末兼职', ''], dispatch: ['派遣', '劳务派遣', ''], fulltime: ['长期', '正式工', ''] };
const SETTLEMENT_WORDS: Record<Settlement, string[]> = { daily: ['日结', '当天结', '一天一结', '日薪'], weekly: ['周结', '一周一结'], monthly: ['月结', '每月15号发薪'], completion: ['完工结', '做完结算'] };

function generate(rand: Rand, n: number): { input: Omit<JobInput, 'validUntil' | 'contactName' | 'contactPhone'>; truth: Truth } {
  const categories = Object.keys(TITLES);
  const category = categories[n % categories.length]!;
  const type = pick(rand, TYPES);
  const settlement = pick(rand, SETTLEMENTS_OF[type]);
  const district = pick(rand, DISTRICTS);
  const place = pick(rand, PLACES[district]!);
  const workplace = pick(rand, WORKPLACES_OF[category]!);
  const benefits = BENEFITS.filter(() => rand() < 0.25);
  const role = pick(rand, TITLES[category]!);
  const where = pick(rand, WORKPLACE_PHRASES[workplace]!);
  // A third of the titles name the workplace, some the place, some the pay terms: as employers write them.
  const prefix = rand() < 0.35 && workplace !== '其他' ? where : rand() < 0.3 ? place : '';
  const suffix = rand() < 0.4 ? pick(rand, SETTLEMENT_WORDS[settlement]) : rand() < 0.5 ? pick(rand, TYPE_WORDS[type]) : '';
  // Some postings mention a workplace they are not at (a landmark, a former job): the trap of issue 19's point 4.
  const decoy = rand() < 0.15 ? `,附近有${pick(rand, ['KTV', '电子厂', '写字楼', '物流园', '商场'])},交通方便` : '';
  const perks = benefits.length ? `福利:${benefits.join('、')}。` : '';
  const description = `${place}${where}招${role}${decoy}。${pick(rand, SETTLEMENT_WORDS[settlement])},${pick(rand, TYPE_WORDS[type]) || '长期招聘'}。${perks}工作认真负责即可,新手可教。`;
  const chooses = rand() < 0.7;
  return {
    truth: { category, type, settlement, benefits, workplace, district },
    input: {
      title: `${prefix}${role}${suffix ? ` ${suffix}` : ''}`.slice(0, 40),
      type,
      category,
      district,
      workplace: chooses ? (workplace as JobInput['workplace']) : null,
      address: `${district}${place}街道${pick(rand, ['工业园', '商业街', '大道'])} ${1 + Math.floor(rand() * 30)} 号`,
      payMin: 150 + Math.floor(rand() * 200),
      payMax: null,
      payUnit: 'day',
      settlement,
      headcount: 1 + Math.floor(rand() * 50),
      shift: pick(rand, ['长白班', '两班倒', '8:00-17:00', '晚班']),
      startDate: null,
      endDate: null,
      ageMin: 18,
      ageMax: 50,
      requirements: '身体健康,吃苦耐劳',
      benefits,
      description,
      dispatchAgencyName: type === 'dispatch' ? '深圳鹏城劳务派遣有限公司' : null,
      dispatchAgencyLicense: type === 'dispatch' ? '440300000000001' : null,
      worksiteEmployerName: type === 'dispatch' ? `深圳${place}${where}有限公司` : null,
      feeAttested: true,
    },
  };
}

// ---- The queries and their judgement ----

/** What a query asks for: each aspect is one condition on the true fields; a job meeting all is fully relevant. */
type Aspects = Partial<{ category: string[]; type: JobType[]; settlement: Settlement[]; benefits: string[]; anyBenefit: string[]; workplace: string[]; district: string[] }>;

const D = (short: string) => DISTRICTS.find((d) => d.startsWith(short))!;
const MAKE = ['普工', '操作工'];
const STORE = ['仓储分拣'];

/** 96 queries as workers type them: everyday words, colloquial forms, two and three words, places, pay terms. */
export const QUERIES: [string, Aspects][] = [
  ['打杂', { category: ['普工'] }],
  ['杂工', { category: ['普工'] }],
  ['小工', { category: ['普工'] }],
  ['普工', { category: ['普工'] }],
  ['流水线', { category: MAKE }],
  ['操作员', { category: ['操作工'] }],
  ['cnc', { category: ['操作工'] }],
  ['注塑', { category: ['操作工'] }],
  ['收银', { category: ['服务员', '促销导购'] }],
  ['收银员', { category: ['服务员', '促销导购'] }],
  ['阿姨', { category: ['保洁', '家政', '餐饮后厨'] }],
  ['保洁阿姨', { category: ['保洁'] }],
  ['QC', { category: ['质检'] }],
  ['品检', { category: ['质检'] }],
  ['验货', { category: ['质检'] }],
  ['跟单', { category: ['客服'] }],
  ['文员', { category: ['客服', '仓储分拣'] }],
  ['安检', { category: ['保安'] }],
  ['门卫', { category: ['保安'] }],
  ['看门', { category: ['保安'] }],
  ['拣货', { category: STORE }],
  ['捡货', { category: STORE }],
  ['分拣', { category: STORE }],
  ['理货', { category: STORE }],
  ['仓管', { category: STORE }],
  ['打包', { category: [...STORE, '普工'] }],
  ['搬运', { category: ['搬运装卸'] }],
  ['卸货', { category: ['搬运装卸'] }],
  ['装卸工', { category: ['搬运装卸'] }],
  ['扛包', { category: ['搬运装卸'] }],
  ['快递', { category: ['快递配送'] }],
  ['骑手', { category: ['快递配送'] }],
  ['送外卖', { category: ['快递配送'] }],
  ['传菜', { category: ['服务员'] }],
  ['服务生', { category: ['服务员'] }],
  ['洗碗', { category: ['餐饮后厨'] }],
  ['帮厨', { category: ['餐饮后厨'] }],
  ['厨房', { category: ['餐饮后厨'] }],
  ['清洁工', { category: ['保洁'] }],
  ['搞卫生', { category: ['保洁'] }],
  ['开车', { category: ['司机'] }],
  ['货车司机', { category: ['司机'] }],
  ['叉车', { category: ['司机', ...STORE, '搬运装卸'] }],
  ['促销', { category: ['促销导购'] }],
  ['导购', { category: ['促销导购'] }],
  ['电话客服', { category: ['客服'] }],
  ['电工', { category: ['电工技工'] }],
  ['维修', { category: ['电工技工'] }],
  ['保姆', { category: ['家政'] }],
  ['月嫂', { category: ['家政'] }],
  ['日结', { settlement: ['daily'] }],
  ['当天结', { settlement: ['daily'] }],
  ['周结', { settlement: ['weekly'] }],
  ['周结工', { type: ['temp'], settlement: ['weekly'] }],
  ['日结工', { type: ['temp'], settlement: ['daily'] }],
  ['临时工', { type: ['temp'] }],
  ['零工', { type: ['temp'] }],
  ['兼职', { type: ['parttime'] }],
  ['小时工', { type: ['parttime'] }],
  ['派遣', { type: ['dispatch'] }],
  ['长期工', { type: ['fulltime'] }],
  ['包吃住', { benefits: ['包吃', '包住'] }],
  ['包住', { benefits: ['包住'] }],
  ['有宿舍', { benefits: ['包住'] }],
  ['交社保', { anyBenefit: ['交社保', '五险一金'] }],
  ['电子厂', { workplace: ['电子厂'] }],
  ['KTV', { workplace: ['KTV'] }],
  ['写字楼', { workplace: ['写字楼'] }],
  ['物流园', { workplace: ['物流园'] }],
  ['酒店', { workplace: ['酒店'] }],
  ['超市', { workplace: ['商场超市'] }],
  ['小区', { workplace: ['小区物业'] }],
  ['KTV 服务员', { workplace: ['KTV'], category: ['服务员'] }],
  ['写字楼 保洁', { workplace: ['写字楼'], category: ['保洁'] }],
  ['写字楼保安', { workplace: ['写字楼'], category: ['保安'] }],
  ['电子厂 普工', { workplace: ['电子厂'], category: MAKE }],
  ['电子厂普工包吃住', { workplace: ['电子厂'], category: MAKE, benefits: ['包吃', '包住'] }],
  ['物流园 分拣', { workplace: ['物流园'], category: STORE }],
  ['酒店 洗碗', { workplace: ['酒店'], category: ['餐饮后厨'] }],
  ['小区 保安', { workplace: ['小区物业'], category: ['保安'] }],
  ['龙华 普工', { district: [D('龙华')], category: ['普工'] }],
  ['宝安 日结', { district: [D('宝安')], settlement: ['daily'] }],
  ['龙岗 保安', { district: [D('龙岗')], category: ['保安'] }],
  ['坪山 临时工', { district: [D('坪山')], type: ['temp'] }],
  ['南山 服务员', { district: [D('南山')], category: ['服务员'] }],
  ['福田 保洁', { district: [D('福田')], category: ['保洁'] }],
  ['观澜 普工', { district: [D('龙华')], category: ['普工'] }],
  ['沙井 电子厂', { district: [D('宝安')], workplace: ['电子厂'] }],
  ['西乡 搬运', { district: [D('宝安')], category: ['搬运装卸'] }],
  ['布吉 快递', { district: [D('龙岗')], category: ['快递配送'] }],
  ['光明 日结 普工', { district: [D('光明')], settlement: ['daily'], category: ['普工'] }],
  ['打杂 包吃住', { category: ['普工'], benefits: ['包吃', '包住'] }],
  ['保安 包住', { category: ['保安'], benefits: ['包住'] }],
  ['分拣 日结', { category: STORE, settlement: ['daily'] }],
  ['兼职 服务员', { type: ['parttime'], category: ['服务员'] }],
  ['周末兼职', { type: ['parttime'] }],
  ['临时工 搬运', { type: ['temp'], category: ['搬运装卸'] }],
  ['宝安区 仓管 包吃', { district: [D('宝安')], category: STORE, anyBenefit: ['包吃', '餐补'] }],
  ['找份保洁工作', { category: ['保洁'] }],
  ['急招普工日结', { category: ['普工'], settlement: ['daily'] }],
];

function holds(t: Truth, a: Aspects): number {
  const checks: boolean[] = [];
  if (a.category) checks.push(a.category.includes(t.category));
  if (a.type) checks.push(a.type.includes(t.type));
  if (a.settlement) checks.push(a.settlement.includes(t.settlement));
  if (a.benefits) checks.push(a.benefits.every((b) => t.benefits.includes(b)));
  if (a.anyBenefit) checks.push(a.anyBenefit.some((b) => t.benefits.includes(b)));
  if (a.workplace) checks.push(a.workplace.includes(t.workplace));
  if (a.district) checks.push(a.district.includes(t.district));
  return checks.filter(Boolean).length / checks.length;
}

/** Graded gain: a job meeting every aspect 3, half of them 1, none 0. */
const gain = (grade: number) => 2 ** (2 * grade) - 1;

function dcg(gains: number[]): number {
  return gains.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
}

// ---- The run ----

const TARGET = { ndcg: 0.92 };

async function main(): Promise<void> {
  const total = Number(args.jobs ?? (args.smoke ? 500 : 600));
  const handle = await openDb({ inMemory: true });
  const now = new Date();
  const today = chinaDate(now);
  try {
    await handle.migrate();
    const db = handle.db;
    const rand = randomSource(19);
    const employers: { id: number; name: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const login = `1370000${String(i).padStart(4, '0')}`;
      const [u] = await db.insert(users).values({ login, phone: login, role: 'employer', displayName: `企业${i}` }).returning({ id: users.id });
      const name = `深圳市${pick(rand, ['鹏程', '华南', '湾区', '前海', '宝华'])}${pick(rand, ['人力资源', '实业', '科技', '物业管理', '餐饮管理'])}有限公司${i}`;
      await db.insert(employerProfiles).values({ userId: u!.id, companyName: name, creditCode: `91440300MA5F${String(i).padStart(5, '0')}X`, contactName: '张经理', contactPhone: '075512345678', address: '深圳市', verifiedAt: i % 3 ? now : null });
      employers.push({ id: u!.id, name });
    }
    const truth = new Map<number, Truth>();
    for (let n = 0; n < total; n++) {
      const g = generate(rand, n);
      const input: JobInput = { ...g.input, contactName: '张经理', contactPhone: '13800138000', validUntil: addDays(today, 30) };
      const employer = employers[n % employers.length]!;
      const content = service.jobColumns(input);
      const publishedAt = new Date(now.getTime() - Math.floor(rand() * 45 * 24) * 3600_000);
      const [row] = await db
        .insert(jobs)
        .values({ ...content, ...service.searchColumns({ ...input, ...content }, employer.name), employerId: employer.id, status: 'published', publishedAt, submittedAt: publishedAt, createdAt: publishedAt, updatedAt: publishedAt })
        .returning({ id: jobs.id });
      truth.set(row!.id, g.truth);
    }

    let ndcgSum = 0;
    let p5Sum = 0;
    let zero = 0;
    const lines: string[] = [];
    for (const [q, aspects] of QUERIES) {
      const page = await queries.searchListedJobs(db, parseJobListQuery({ q }), today);
      const ids = page.rows.map((r) => r.id);
      if (!ids.length) zero++;
      const grades = ids.slice(0, 10).map((id) => holds(truth.get(id)!, aspects));
      const ideal = [...truth.values()].map((t) => gain(holds(t, aspects))).sort((a, b) => b - a).slice(0, 10);
      const idcg = dcg(ideal);
      const ndcg = idcg ? dcg(grades.map(gain)) / idcg : 1;
      const p5 = ids.slice(0, 5).filter((id) => holds(truth.get(id)!, aspects) === 1).length / 5;
      ndcgSum += ndcg;
      p5Sum += p5;
      if (args.verbose) {
        const top = page.rows.slice(0, 5).map((r) => `${r.title}[${truth.get(r.id)!.workplace}]`).join(' / ');
        lines.push(`| ${q} | ${ndcg.toFixed(3)} | ${p5.toFixed(2)} | ${page.total} | ${top} |`);
      }
    }
    const n = QUERIES.length;
    if (lines.length) console.log(['| query | nDCG@10 | P@5 | results | top 5 |', '| --- | --- | --- | --- | --- |', ...lines].join('\n'), '\n');
    console.log(`search quality: ${n} queries over ${total} jobs`);
    console.log(`| nDCG@10 | P@5 | zero-result queries |\n| --- | --- | --- |\n| ${(ndcgSum / n).toFixed(3)} | ${(p5Sum / n).toFixed(3)} | ${zero} of ${n} (${((100 * zero) / n).toFixed(1)} %) |`);
    const met = ndcgSum / n >= TARGET.ndcg && zero === 0;
    console.log(`targets (issue 19): nDCG@10 ≥ ${TARGET.ndcg}, 0 % zero-result: ${met ? 'met' : 'NOT MET'}`);
    // The smoke run in .ci/run fails on a regression below the targets, not only on an error.
    if (args.smoke && !met) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
