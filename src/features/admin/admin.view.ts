// Owns what every back-office page shares: noindex, the admin sub-navigation's current section, and breadcrumbs
// starting at 后台.
import type { Request } from 'express';
import type { Actor } from '../audit/audit.service';

export type Crumb = { label: string; href?: string };

/** The page locals of an admin page: `trail` is the path below 后台, its last item being this page. */
export function adminPage(section: string, title: string, trail: Crumb[] = [{ label: title }]) {
  return { title, noindex: true, adminSection: section, breadcrumbs: [{ label: '后台', href: '/admin' }, ...trail] };
}

/** The signed-in admin as the audit log records them. */
export function actorOf(req: Request): Actor {
  return { id: req.user!.id, login: req.user!.login };
}
