// `npm run db:migrate`: applies the committed migrations (the server also does this at start).
import { runCli } from './run';

void runCli(async (ctx) => {
  console.log(`migrations applied (${ctx.dbHandle.kind})`);
});
