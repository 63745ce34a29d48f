// Owns the audit log's filter query string: wrong values are dropped, never an error.
import { addDays, isIsoDate } from '../../domain/dates';
import { parsePage } from '../admin/admin.validation';
import { parseId } from '../../web/forms';
import type { AuditFilter } from './audit.service';

export type AuditQuery = {
  filter: AuditFilter;
  page: number;
  /** The filter as typed, for the form and for pagination links. */
  values: { action: string; actor: string; targetType: string; targetId: string; from: string; to: string };
};

function one(raw: unknown): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v.trim() : '';
}

/** The start of a China calendar day. */
function chinaMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const action = /^[a-z_]+(\.[a-z_]*)?$/.test(one(query.action)) ? one(query.action) : '';
  const actor = one(query.actor).slice(0, 100);
  const targetType = /^[a-z_]{1,30}$/.test(one(query.targetType)) ? one(query.targetType) : '';
  // One record's history (linked from a user's or a company's page); only with its type.
  const id = targetType ? parseId(one(query.targetId)) : null;
  const targetId = id === null ? '' : String(id);
  let from = isIsoDate(one(query.from)) ? one(query.from) : '';
  let to = isIsoDate(one(query.to)) ? one(query.to) : '';
  // Dates typed the wrong way round still mean the days between them.
  if (from && to && from > to) [from, to] = [to, from];
  return {
    filter: {
      action: action || undefined,
      actor: actor || undefined,
      targetType: targetType || undefined,
      targetId: targetId || undefined,
      from: from ? chinaMidnight(from) : undefined,
      until: to ? chinaMidnight(addDays(to, 1)) : undefined,
    },
    page: parsePage(query.page),
    values: { action, actor, targetType, targetId, from, to },
  };
}
