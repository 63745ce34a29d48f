// `npm run db:seed`: seeds the demo data into an empty database; a database with data is left untouched.
import { seedDemoData } from '../db/seed';
import { demoPasswordNotice, demoSeeders, newDemoPassword } from '../seeders';
import { runCli } from './run';

void runCli(async (ctx) => {
  const demoPassword = newDemoPassword();
  const report = await seedDemoData(ctx.db, ctx.settings, demoSeeders(ctx, demoPassword));
  if (report.seeded) console.log('demo data seeded:', JSON.stringify(report.counts), `\n${demoPasswordNotice(demoPassword)}`);
  else console.log(`nothing seeded: ${report.reason}`);
});
