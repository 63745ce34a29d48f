// Owns how an audit entry reads on the page: one Chinese sentence (管理员 张三 将职位「…」审核通过), before/after
// field by field under the fields' form labels with values as the site shows them (statuses, types, times), and
// the raw record, kept one click away.
import { ARTICLE_CATEGORIES, JOB_STATUSES, JOB_TYPES, REPORT_REASONS, SETTLEMENTS } from '../../domain/vocabulary';
import { dateTime } from '../../web/format';
import { htmlToText } from '../news/news.sanitize';
import { SETTING_LABELS } from '../site/settings.forms';
import type { AuditRow } from './audit.service';

/** Every action the app records, grouped by the prefix the filter uses. */
export const ACTION_GROUPS: { prefix: string; label: string; actions: Record<string, string> }[] = [
  { prefix: 'job.', label: '职位审核', actions: { 'job.approve': '通过职位', 'job.reject': '驳回职位' } },
  { prefix: 'report.', label: '举报处理', actions: { 'report.uphold': '举报属实,下架职位', 'report.dismiss': '驳回举报' } },
  { prefix: 'employer.', label: '企业认证', actions: { 'employer.verify': '认证企业', 'employer.unverify': '取消企业认证' } },
  { prefix: 'user.', label: '用户', actions: { 'user.disable': '停用账号', 'user.enable': '启用账号' } },
  { prefix: 'settings.', label: '网站设置', actions: { 'settings.update': '修改设置' } },
  { prefix: 'search.', label: '搜索词库', actions: { 'search.term.save': '保存搜索词', 'search.term.delete': '删除搜索词' } },
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
  search_term: '搜索词',
};

/** The names an entry's sentence needs that its snapshot may lack: who acted, and what was acted on (`job:12`). */
export type AuditNames = { actors: Map<number, string>; targets: Map<string, string> };

const messages = {
  admin: (name: string) => (name === '管理员' ? name : `管理员 ${name}`),
  cli: (login: string) => `运维人员(命令行 ${login.replace(/^cli:/, '')})`,
  quoted: (name: string) => `「${name}」`,
  unknownTarget: (id: string | null) => (id ? `#${id}` : ''),
  reason: (reason: string) => `,原因:${reason}`,
  sentences: {
    'job.approve': (who: string, what: string) => `${who} 将职位${what}审核通过`,
    'job.reject': (who: string, what: string) => `${who} 驳回了职位${what}`,
    'report.uphold': (who: string, what: string) => `${who} 认定对职位${what}的举报属实,下架了该职位`,
    'report.dismiss': (who: string, what: string) => `${who} 驳回了对职位${what}的举报`,
    'employer.verify': (who: string, what: string) => `${who} 认证了企业${what}`,
    'employer.unverify': (who: string, what: string) => `${who} 取消了企业${what}的认证`,
    'user.disable': (who: string, what: string) => `${who} 停用了用户${what}的账号`,
    'user.enable': (who: string, what: string) => `${who} 启用了用户${what}的账号`,
    'news.create': (who: string, what: string) => `${who} 新建了文章${what}`,
    'news.update': (who: string, what: string) => `${who} 编辑了文章${what}`,
    'news.publish': (who: string, what: string) => `${who} 发布了文章${what}`,
    'news.unpublish': (who: string, what: string) => `${who} 将文章${what}撤回为草稿`,
    'news.delete': (who: string, what: string) => `${who} 删除了文章${what}`,
    'search.term.save': (who: string, what: string) => `${who} 保存了搜索词${what}`,
    'search.term.delete': (who: string, what: string) => `${who} 删除了搜索词${what}`,
  } as Record<string, (who: string, what: string) => string>,
  settings: (who: string, labels: string[]) => `${who} 修改了网站设置:${labels.join('、')}`,
  imported: (who: string, file: string | null, added: number) => `${who} ${file ? `从文件「${file}」` : ''}导入了 ${added} 篇资讯`,
  importCounts: (skipped: number, refused: number) => `(跳过 ${skipped} 篇,拒绝 ${refused} 篇)`,
  other: (who: string, label: string) => `${who} 执行了操作:${label}`,
  none: '(无)',
  empty: '(空)',
  yes: '是',
  no: '否',
  body: (text: string, length: number) => (length > 120 ? `${text.slice(0, 120)}…(共 ${length} 字)` : text),
  cover: (id: unknown) => `有(图片 #${id})`,
};

/** Where the target can be seen now (it may since have been deleted: then that page says so). */
function targetHref(type: string, id: string | null): string | null {
  if (type === 'settings') return '/admin/settings';
  if (type === 'search_term') return '/admin/search';
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

// ---- Fields and values ----

/** The form label of each field the entries carry. */
const FIELD_LABELS: Record<string, string> = {
  status: '状态',
  word: '词语',
  synonyms: '同义词',
  meanings: '含义',
  rejectReason: '驳回原因',
  publishedAt: '发布时间',
  closedAt: '结束时间',
  validUntil: '有效期至',
  flaggedWords: '敏感词',
  reports: '处理的举报',
  reportStatus: '举报结果',
  resolution: '处理说明',
  jobId: '职位',
  reason: '原因',
  companyName: '企业名称',
  creditCode: '统一社会信用代码',
  licenseNo: '劳务派遣经营许可证编号',
  verifiedAt: '认证时间',
  verifiedBy: '认证人',
  title: '标题',
  summary: '摘要',
  bodyHtml: '正文',
  coverFileId: '封面图片',
  coverCaption: '图片说明',
  category: '分类',
  author: '作者',
  sourceName: '来源名称',
  sourceUrl: '来源网址',
  originalAuthor: '原作者',
  originalDate: '原文日期',
  type: '职位类型',
  settlement: '结算方式',
  file: '导入的文件',
  format: '文件格式',
  total: '文件中的文章',
  added: '新增',
  skipped: '跳过',
  refused: '拒绝',
  ids: '新文章',
};

const STATUS_BY_TARGET: Record<string, Record<string, string>> = {
  job: JOB_STATUSES,
  article: { draft: '草稿', published: '已发布' },
  user: { active: '正常', disabled: '已停用' },
  report: { open: '待处理', upheld: '属实', dismissed: '已驳回' },
};

/** Fields whose stored codes have words on the site. */
const CODES: Record<string, Record<string, string>> = {
  reportStatus: STATUS_BY_TARGET.report!,
  category: ARTICLE_CATEGORIES,
  type: JOB_TYPES,
  settlement: SETTLEMENTS,
  format: { rss: 'RSS', atom: 'Atom', json: 'JSON 文件' },
};

const labelOf = (field: string) => FIELD_LABELS[field] ?? (SETTING_LABELS as Record<string, string>)[field] ?? field;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the site shows it. Escaped by the view. */
function shown(field: string, v: unknown, targetType: string, names?: AuditNames): string {
  if (v === null || v === undefined) return messages.none;
  if (v === '') return messages.empty;
  if (typeof v === 'boolean') return v ? messages.yes : messages.no;
  const codes: Record<string, string> | undefined = field === 'status' ? STATUS_BY_TARGET[targetType] : field === 'reason' && targetType === 'report' ? REPORT_REASONS : CODES[field];
  if (typeof v === 'string' && codes?.[v]) return codes[v]!;
  if (field === 'bodyHtml' && typeof v === 'string') {
    const text = htmlToText(v);
    return messages.body(text, text.length);
  }
  if (field === 'coverFileId') return messages.cover(v);
  if (field === 'verifiedBy' && typeof v === 'number') return names?.actors.get(v) ?? `#${v}`;
  if (field === 'jobId' && typeof v === 'number') return names?.targets.get(`job:${v}`) ?? `#${v}`;
  if (typeof v === 'string') return ISO_INSTANT.test(v) ? dateTime(v) : v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return v.map((x) => `#${x}`).join('、') || messages.none;
    if (v.every((x) => typeof x === 'string')) return v.join('、') || messages.none;
    // Footer links and keyword pages: one per line, as the settings page names them.
    return v.map((x) => (isRecord(x) ? listItem(x) : String(x))).join('\n');
  }
  if (isRecord(v)) return Object.entries(v).map(([k, x]) => `${labelOf(k)}:${shown(k, x, targetType, names)}`).join('\n');
  return String(v);
}

function listItem(x: Record<string, unknown>): string {
  if (typeof x.slug === 'string') return `${x.label}:${x.title}(/k/${x.slug})`;
  if (typeof x.href === 'string') return `${x.label}(${x.href})`;
  return Object.values(x).map(String).join(' ');
}

export type DiffRow = { field: string; label: string; before: string | null; after: string | null; changed: boolean };

/** Before and after, field by field, the changed fields first: a field only on one side was added or removed. */
export function diffRows(before: unknown, after: unknown, targetType = '', names?: AuditNames): DiffRow[] {
  if (before == null && after == null) return [];
  if (!isRecord(before) && !isRecord(after)) {
    return [
      {
        field: '',
        label: '值',
        before: before == null ? null : shown('', before, targetType, names),
        after: after == null ? null : shown('', after, targetType, names),
        changed: JSON.stringify(before) !== JSON.stringify(after),
      },
    ];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = fields.map((field) => ({
    field,
    label: labelOf(field),
    before: field in b ? shown(field, b[field], targetType, names) : null,
    after: field in a ? shown(field, a[field], targetType, names) : null,
    changed: JSON.stringify(b[field]) !== JSON.stringify(a[field]),
  }));
  return [...rows.filter((r) => r.changed), ...rows.filter((r) => !r.changed)];
}

// ---- The sentence ----

/** Who acted, as people call them: 管理员 and their name (the login when the account is gone), or the command line. */
function actorName(row: AuditRow, names?: AuditNames): string {
  if (row.actorId === null && row.actorLogin.startsWith('cli:')) return messages.cli(row.actorLogin);
  return messages.admin((row.actorId !== null && names?.actors.get(row.actorId)) || row.actorLogin);
}

const snapshotField = (row: AuditRow, field: string): unknown => (isRecord(row.after) && field in row.after ? row.after[field] : isRecord(row.before) ? row.before[field] : undefined);

/** What was acted on, by name: from the entry's own snapshot when it has one (the name at the time), else today's name. */
export function targetName(row: AuditRow, names?: AuditNames): string | null {
  const fromSnapshot = snapshotField(row, row.targetType === 'employer' ? 'companyName' : 'title');
  if (typeof fromSnapshot === 'string' && fromSnapshot) return fromSnapshot;
  if (row.targetType === 'report') {
    const jobId = snapshotField(row, 'jobId');
    return typeof jobId === 'number' ? (names?.targets.get(`job:${jobId}`) ?? null) : null;
  }
  return row.targetId ? (names?.targets.get(`${row.targetType}:${row.targetId}`) ?? null) : null;
}

function sentenceOf(row: AuditRow, actionLabel: string, names?: AuditNames): string {
  const who = actorName(row, names);
  const name = targetName(row, names);
  const what = name ? messages.quoted(name) : messages.unknownTarget(row.targetId);
  if (row.action === 'settings.update') {
    const keys = isRecord(row.after) ? Object.keys(row.after) : (row.targetId ?? '').split(',').filter(Boolean);
    return messages.settings(who, keys.map(labelOf));
  }
  if (row.action === 'news.import') {
    const after = isRecord(row.after) ? row.after : {};
    const count = (k: string) => (typeof after[k] === 'number' ? (after[k] as number) : 0);
    const file = typeof after.file === 'string' ? after.file : null;
    return messages.imported(who, file, count('added')) + (count('skipped') || count('refused') ? messages.importCounts(count('skipped'), count('refused')) : '');
  }
  const sentence = messages.sentences[row.action];
  if (!sentence) return messages.other(who, actionLabel);
  const reason = snapshotField(row, row.action === 'job.reject' ? 'rejectReason' : 'reason');
  const withReason = (row.action === 'job.reject' || row.action === 'employer.unverify') && typeof reason === 'string' && reason;
  return sentence(who, what) + (withReason ? messages.reason(reason) : '');
}

export type AuditView = AuditRow & {
  actionLabel: string;
  sentence: string;
  targetLabel: string;
  targetHref: string | null;
  diff: DiffRow[];
  /** The entry as stored, for whoever needs the exact record. */
  raw: string;
};

export function presentAuditEntry(row: AuditRow, names?: AuditNames): AuditView {
  const actionLabel = ACTION_LABELS[row.action] ?? row.action;
  return {
    ...row,
    actionLabel,
    sentence: sentenceOf(row, actionLabel, names),
    targetLabel: TARGET_LABELS[row.targetType] ?? row.targetType,
    targetHref: targetHref(row.targetType, row.targetId),
    diff: diffRows(row.before, row.after, row.targetType, names),
    raw: JSON.stringify(
      { id: row.id, createdAt: row.createdAt, actorId: row.actorId, actorLogin: row.actorLogin, action: row.action, targetType: row.targetType, targetId: row.targetId, before: row.before, after: row.after },
      null,
      2,
    ),
  };
}
