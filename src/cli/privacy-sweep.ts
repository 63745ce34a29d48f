// `npm run privacy:sweep`: one resume-retention pass now (the server also runs it daily): warns owners of
// resumes idle for RESUME_RETENTION_DAYS − 7 days and deletes those idle for RESUME_RETENTION_DAYS.
import { sweepResumes } from '../features/privacy/privacy.retention';
import { runCli } from './run';

void runCli(async (ctx) => {
  const result = await sweepResumes(ctx);
  console.log(`简历保留期 ${ctx.config.resumeRetentionDays} 天: 提醒 ${result.warned} 份, 删除 ${result.deleted} 份(文件 ${result.filesRemoved} 个)`);
});
