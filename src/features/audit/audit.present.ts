// Owns how an audit entry reads on the page: the action in Chinese, a link to its target, and before/after
// side by side, field by field.
import { dateTime } from '../../web/format';
import { SETTING_LABELS } from '../site/settings.forms';
import type { AuditRow } from './audit.service';

/** Every action the app records, grouped by the prefix the filter uses. */
export const ACTION_GROUPS: { prefix: string; label: string; actions: Record<string, string> }[] = [
  { prefix: 'job.', label: '职位审核', actions: { 'job.approve': '通过职位', 'job.reject': '驳回职位' } },
  { prefix: 'report.', label: '举报处理', actions: { 'report.uphold': '举报属实,下架职位', 'report.dismiss': '驳回举报' } },
  { prefix: 'employer.', label: '企业认证', actions: { 'employer.verify': '认证企业', 'employer.unverify': '取消企业认证' } },
  { prefix: 'user.', label: '用户', actions: { 'user.disable': '停用账号', 'user.enable': '启用账号' } },
  { prefix: 'settings.', label: '网站设置', actions: { 'settings.update': '修改设置' } },
  {
    prefix: 'news.',
    label: '资讯',
    actions: {
      'news.create': '新建文章',
      'news.update': '编辑文章',
      'news.publish': '发布文章',
      'news.unpublish': '撤回文章',
      'news.delete': '删除文章',
      'news.import': '批量导入资讯',
    },
  },
];

const ACTION_LABELS: Record<string, string> = Object.assign({}, ...ACTION_GROUPS.map((g) => g.actions));

export const TARGET_LABELS: Record<string, string> = {
  job: '职位',
  report: '举报',
  employer: '企业',
  user: '用户',
  settings: '设置',
  article: '文章',
};

/** Where the target can be seen now (it may since have been deleted: then that page says so). */
function targetHref(type: string, id: string | null): string | null {
  if (type === 'settings') return '/admin/settings';
  if (!id || !/^\d+$/.test(id)) return null;
  switch (type) {
    case 'job':
      return `/admin/jobs/${id}`;
    case 'article':
      return `/admin/news/${id}/edit`;
    case 'user':
      return `/admin/users/${id}`;
    case 'employer':
      return `/admin/employers/${id}`;
    default:
      return null;
  }
}

export type DiffRow = { field: string; label: string; before: string | null; after: string | null; changed: boolean };

/** Chinese names of the fields the entries carry (the key is shown beside it; unknown keys as they are). */
const FIELD_LABELS: Record<string, string> = {
  status: '状态',
  rejectReason: '驳回原因',
  publishedAt: '发布时间',
  closedAt: '结束时间',
  validUntil: '有效期至',
  reports: '举报',
  reportStatus: '举报状态',
  resolution: '处理说明',
  jobId: '职位',
  reason: '原因',
  companyName: '企业名称',
  creditCode: '信用代码',
  licenseNo: '派遣许可证',
  verifiedAt: '认证时间',
  verifiedBy: '认证人',
  title: '标题',
  summary: '摘要',
  bodyHtml: '正文',
  category: '分类',
  author: '作者',
  sourceName: '来源',
  sourceUrl: '来源网址',
  added: '新增',
  skipped: '跳过',
  refused: '拒绝',
  ids: '新文章',
  file: '文件',
};

const labelOf = (field: string) => FIELD_LABELS[field] ?? (SETTING_LABELS as Record<string, string>)[field] ?? field;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the page shows it: instants in China time, strings as they are, the rest as indented JSON. Escaped by the view. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return '(无)';
  if (v === '') return '(空)';
  if (typeof v === 'string') return ISO_INSTANT.test(v) ? dateTime(v) : v;
  return JSON.stringify(v, null, 2) ?? String(v);
}

/** Before and after, field by field, the changed fields first: a field only on one side was added or removed. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  if (before == null && after == null) return [];
  if (!isRecord(before) && !isRecord(after)) {
    return [{ field: '', label: '值', before: before == null ? null : shown(before), after: after == null ? null : shown(after), changed: JSON.stringify(before) !== JSON.stringify(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = fields.map((field) => ({
    field,
    label: labelOf(field),
    before: field in b ? shown(b[field]) : null,
    after: field in a ? shown(a[field]) : null,
    changed: JSON.stringify(b[field]) !== JSON.stringify(a[field]),
  }));
  return [...rows.filter((r) => r.changed), ...rows.filter((r) => !r.changed)];
}

export type AuditView = AuditRow & { actionLabel: string; targetLabel: string; targetHref: string | null; diff: DiffRow[] };

export function presentAuditEntry(row: AuditRow): AuditView {
  return {
    ...row,
    actionLabel: ACTION_LABELS[row.action] ?? row.action,
    targetLabel: TARGET_LABELS[row.targetType] ?? row.targetType,
    targetHref: targetHref(row.targetType, row.targetId),
    diff: diffRows(row.before, row.after),
  };
}
