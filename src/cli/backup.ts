// `npm run db:backup -- <file.tar.gz>`: the database and the uploaded files in one file. Embedded mode: stop the server first.
import { createBackup } from '../ops/backup';
import { runCli, UsageError } from './run';

void runCli(async (ctx) => {
  const file = process.argv[2];
  if (!file) throw new UsageError('用法: npm run db:backup -- <备份文件.tar.gz>');
  const manifest = await createBackup(ctx.config, ctx.dbHandle, file);
  console.log(`备份完成: ${file} (${manifest.mode}, ${manifest.uploads} 个上传文件)`);
});
