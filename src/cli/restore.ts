// `npm run db:restore -- <file.tar.gz> [--force]`: restores a backup into the configured database and UPLOAD_DIR.
import { loadDotEnv, parseConfig } from '../config';
import { BackupError, restoreBackup } from '../ops/backup';
import { DataDirLockedError } from '../db/lock';
import { boot } from '../bootstrap';
import { createLogger } from '../logger';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('用法: npm run db:restore -- <备份文件.tar.gz> [--force]');
    return 2;
  }
  loadDotEnv();
  const config = parseConfig();
  try {
    const { manifest, movedAside } = await restoreBackup(config, file, force);
    for (const dir of movedAside) console.log(`原有数据已移到: ${dir}`);
    // Bring the restored database up to this version's schema.
    const { ctx } = await boot(config, createLogger('warn'), { seed: false });
    await ctx.dbHandle.close();
    console.log(`恢复完成: ${file} (备份于 ${manifest.createdAt}, ${manifest.uploads} 个上传文件)`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError || err instanceof DataDirLockedError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
