// Owns reading `?page=` and the rule that a page past the end is a 404 while a malformed one is page 1.
import { NotFoundError } from '../errors';

export const PAGE_SIZE = 20;

/** `?page=` as a page number: anything that is not a positive integer (up to 10000) means page 1. */
export function parsePage(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,4}$/.test(raw)) return 1;
  return Math.min(Number(raw), 10_000);
}

export function totalPages(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Page 1 always exists (it may be empty); a later page exists only when it has rows. */
export function requirePageExists(page: number, total: number, pageSize = PAGE_SIZE): number {
  const pages = totalPages(total, pageSize);
  if (page > pages) throw new NotFoundError();
  return pages;
}

/** The locals of views/partials/pagination.ejs (and the total), after checking that the page exists. */
export function pagingLocals(page: number, total: number, basePath: string, baseQuery: Record<string, unknown> = {}, pageSize = PAGE_SIZE) {
  return { page, total, totalPages: requirePageExists(page, total, pageSize), basePath, baseQuery };
}
