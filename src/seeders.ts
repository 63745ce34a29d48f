// Owns the list of feature seeders that fill an empty database with demo data (news is seeded by db/seed.ts).
import type { AppContext } from './context';
import type { Seeder } from './db/seed';
import { jobsDemoSeeder } from './features/jobs/jobs.seed';

export function demoSeeders(ctx: AppContext): Seeder[] {
  return [jobsDemoSeeder(ctx.now)];
}
