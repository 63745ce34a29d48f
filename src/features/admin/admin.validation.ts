// Owns the query strings of the admin lists (never an error: what does not fit is dropped) and the small admin forms.
import { z } from 'zod';
import { normalizeText } from '../../domain/text';
import type { EmployerFilter, Role, UserStatus } from './admin.queries';

export const ADMIN_PAGE_SIZE = 30;
const MAX_SEARCH = 50;

const ROLES: Role[] = ['seeker', 'employer', 'admin', 'consultant'];
const STATUSES: UserStatus[] = ['active', 'disabled'];
const EMPLOYER_FILTERS: EmployerFilter[] = ['all', 'verified', 'unverified', 'incomplete'];

function one(raw: unknown): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v : '';
}

/** A page number; anything that is not one is page 1. */
export function parsePage(raw: unknown): number {
  const v = one(raw).trim();
  return /^\d{1,6}$/.test(v) ? Math.max(1, Number(v)) : 1;
}

function search(raw: unknown): string {
  return normalizeText(one(raw)).replace(/\s+/g, ' ').slice(0, MAX_SEARCH).trim();
}

function pick<T extends string>(raw: unknown, allowed: readonly T[]): T | undefined {
  const v = one(raw);
  return (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

export type UserListQuery = { q: string; role?: Role; status?: UserStatus; page: number };

export function parseUserListQuery(query: Record<string, unknown>): UserListQuery {
  return { q: search(query.q), role: pick(query.role, ROLES), status: pick(query.status, STATUSES), page: parsePage(query.page) };
}

export type EmployerListQuery = { q: string; filter: EmployerFilter; page: number };

export function parseEmployerListQuery(query: Record<string, unknown>): EmployerListQuery {
  return { q: search(query.q), filter: pick(query.filter, EMPLOYER_FILTERS) ?? 'all', page: parsePage(query.page) };
}

export const verifySchema = z.object({
  seen: z.string().trim().max(40).optional().default(''),
});

export const unverifySchema = z.object({
  reason: z.string().trim().max(200, '原因不能超过 200 个字').optional().default(''),
});
