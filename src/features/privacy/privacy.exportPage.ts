// Owns 我的数据.html, the page of the data export that a person reads: every section of the export in Chinese, with
// labels, values as the site shows them (statuses, types, masked nothing: it is the user's own data) and China times.
import ejs from 'ejs';
import path from 'node:path';
import { APPLICATION_STATUSES, JOB_STATUSES, JOB_TYPES, SETTLEMENTS, type ApplicationStatus, type JobStatus, type JobType, type PayUnit, type Settlement } from '../../domain/vocabulary';
import { VIEWS_DIR } from '../../paths';
import { dateTime, format } from '../../web/format';

export const EXPORT_PAGE_NAME = '我的数据.html';

const labels = {
  roles: { seeker: '求职者', employer: '企业', admin: '管理员', consultant: '顾问' } as Record<string, string>,
  statuses: { active: '正常', disabled: '已停用' } as Record<string, string>,
  consents: { privacy_policy: '同意隐私政策', share_with_employer: '同意把简历和联系方式提供给企业' } as Record<string, string>,
  genders: { male: '男', female: '女' } as Record<string, string>,
  resumeViews: { view: '查看', download: '下载', share: '收到初筛名单' } as Record<string, string>,
};

type Row = Record<string, unknown>;
/** A table cell: text, or a link to one of the files in the ZIP. */
type Cell = string | { href: string; text: string };
/** One section of the page: a heading, and either fields (label: value), a table, or a line saying it is empty. */
export type ExportSection = { title: string; fields?: [string, string][]; table?: { head: string[]; rows: Cell[][] }; empty?: string };

const when = (v: unknown) => (v ? dateTime(v as Date | string) : '');
const yesNo = (v: unknown) => (v ? '是' : '否');
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const asRows = (v: unknown) => (Array.isArray(v) ? (v as Row[]) : []);

/** The sections of the page, from the export's data (privacy.export.ts collectExport). */
export function exportSections(data: Record<string, unknown>): ExportSection[] {
  const account = data.account as Row;
  const sections: ExportSection[] = [
    {
      title: '账户',
      fields: [
        ['登录账号', text(account.login)],
        ['显示名称', text(account.displayName)],
        ['账户类型', labels.roles[text(account.role)] ?? text(account.role)],
        ['账户状态', labels.statuses[text(account.status)] ?? text(account.status)],
        ['注册时间', when(account.createdAt)],
        ['最近登录', when(account.lastLoginAt)],
        ['同意的隐私政策版本', text(account.policyVersion)],
        ['同意时间', when(account.policyAcceptedAt)],
      ],
    },
  ];
  const profile = data.profile as Row | null | undefined;
  if (profile !== undefined) {
    sections.push({
      title: '个人资料',
      ...(profile
        ? {
            fields: [
              ['真实姓名', text(profile.realName)],
              ['性别', labels.genders[text(profile.gender)] ?? '未填写'],
              ['出生年份', text(profile.birthYear)],
              ['手机号', text(profile.phone)],
              ['现居住区域', text(profile.district)],
              ['个人简介', text(profile.intro)],
              ['期望职位类型', ((profile.desiredTypes as string[]) ?? []).map((t) => JOB_TYPES[t as JobType] ?? t).join('、')],
              ['最近修改', when(profile.updatedAt)],
            ] as [string, string][],
          }
        : { empty: '还没有填写个人资料。' }),
    });
    sections.push(table('简历', '还没有上传简历。', ['名称', '文件', '默认简历', '上传时间', '最近使用'], asRows(data.resumes), (r) => [
      text(r.title),
      r.file ? { href: text(r.file), text: text(r.originalName) } : '(文件已不在服务器上)',
      yesNo(r.isDefault),
      when(r.createdAt),
      when(r.lastUsedAt),
    ]));
    sections.push(table('投递记录', '还没有投递过职位。', ['职位', '投递时间', '现在的状态', '给企业的留言', '状态变化'], asRows(data.applications), (a) => [
      text(a.jobTitle),
      when(a.createdAt),
      APPLICATION_STATUSES[a.status as ApplicationStatus] ?? text(a.status),
      text(a.message),
      asRows(a.events)
        .map((e) => `${when(e.createdAt)} ${APPLICATION_STATUSES[e.toStatus as ApplicationStatus] ?? text(e.toStatus)}`)
        .join(';'),
    ]));
    sections.push(table('收藏的职位', '没有收藏的职位。', ['职位', '收藏时间'], asRows(data.savedJobs), (s) => [text(s.jobTitle), when(s.savedAt)]));
    sections.push(table('最近浏览的职位', '没有浏览记录。', ['职位', '浏览时间'], asRows(data.viewedJobs), (v) => [text(v.jobTitle), when(v.viewedAt)]));
    sections.push(table('谁看过我的简历', '还没有企业看过你的简历。', ['企业', '做了什么', '时间'], asRows(data.resumeViews), (v) => [
      text(v.viewerName),
      labels.resumeViews[text(v.action)] ?? text(v.action),
      when(v.createdAt),
    ]));
  }
  const company = data.company as Row | null | undefined;
  if (company !== undefined) {
    sections.push({
      title: '企业资料',
      ...(company
        ? {
            fields: [
              ['企业名称', text(company.companyName)],
              ['统一社会信用代码', text(company.creditCode)],
              ['联系人', text(company.contactName)],
              ['联系电话', text(company.contactPhone)],
              ['企业地址', text(company.address)],
              ['企业简介', text(company.intro)],
              ['劳务派遣经营许可证编号', text(company.licenseNo)],
              ['许可证文件', text(company.licenseFile) || '未上传'],
              ['认证时间', when(company.verifiedAt) || '未认证'],
            ] as [string, string][],
          }
        : { empty: '还没有填写企业资料。' }),
    });
    sections.push(table('发布的职位', '还没有发布职位。', ['职位', '类型', '状态', '薪资', '结算', '区域', '创建时间', '发布时间'], asRows(data.jobs), (j) => [
      text(j.title),
      JOB_TYPES[j.type as JobType] ?? text(j.type),
      JOB_STATUSES[j.status as JobStatus] ?? text(j.status),
      j.payMin ? format.pay(Number(j.payMin), j.payMax === null ? null : Number(j.payMax), j.payUnit as PayUnit) : '',
      SETTLEMENTS[j.settlement as Settlement] ?? text(j.settlement),
      text(j.district),
      when(j.createdAt),
      when(j.publishedAt),
    ]));
  }
  sections.push(table('同意记录', '没有同意记录。', ['同意了什么', '政策版本', '企业', '时间'], asRows(data.consents), (c) => [
    labels.consents[text(c.kind)] ?? text(c.kind),
    text(c.policyVersion),
    text(c.employerName),
    when(c.createdAt),
  ]));
  sections.push(table('站内信', '没有站内信。', ['时间', '标题', '内容', '已读'], asRows(data.notifications), (n) => [when(n.createdAt), text(n.title), text(n.body), n.readAt ? when(n.readAt) : '未读']));
  return sections;
}

function table(title: string, empty: string, head: string[], rows: Row[], cells: (r: Row) => Cell[]): ExportSection {
  return rows.length ? { title, table: { head, rows: rows.map(cells) } } : { title, empty };
}

/** The whole page, standalone (its own styles, no script): opened from the unzipped folder, links reach the files. */
export async function renderExportPage(data: Record<string, unknown>, siteName: string): Promise<string> {
  return ejs.renderFile(path.join(VIEWS_DIR, 'privacy', 'export-page.ejs'), {
    siteName,
    exportedAt: when(data.exportedAt),
    sections: exportSections(data),
  });
}
