// Owns the list of feature seeders that fill an empty database with demo data (news is seeded by db/seed.ts),
// and the demo accounts' password: random for each seeding and shown once, never a fixed one from the README.
import crypto from 'node:crypto';
import type { AppContext } from './context';
import type { Seeder } from './db/seed';
import { jobsDemoSeeder } from './features/jobs/jobs.seed';

/** A fresh password for the demo accounts of one seeding (anyone who read a published one could sign in). */
export function newDemoPassword(): string {
  return `demo-${crypto.randomBytes(12).toString('base64url')}`;
}

/** The one line that shows the demo password: printed at the seeding, never stored or shown again. */
export function demoPasswordNotice(password: string): string {
  return `demo employer accounts created (logins in README.md); their password, shown only this once: ${password}`;
}

export function demoSeeders(ctx: AppContext, demoPassword: string): Seeder[] {
  return [jobsDemoSeeder(ctx.now, demoPassword)];
}
