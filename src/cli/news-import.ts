// Owns `npm run news:import -- [--dry-run] [--author <署名>] [--as <管理员登录名>] <文件>`: the bulk import of
// republished articles from the command line, into the same database the server uses.
// Exit codes: 0 done (refused items included), 1 file unreadable/malformed or the database failed (nothing imported), 2 usage.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { boot } from '../bootstrap';
import { ConfigError, loadDotEnv, parseConfig } from '../config';
import type { AppContext } from '../context';
import { DatabaseOpenError } from '../db/client';
import { DataDirLockedError } from '../db/lock';
import type { Actor } from '../features/audit/audit.service';
import { findUserByLogin } from '../features/accounts/accounts.service';
import { importArticles, type ImportReport, type ReportLine } from '../features/news/news.import';
import { ImportFileError, parseImportFile } from '../features/news/news.importFormats';
import { createLogger } from '../logger';

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
const DEFAULT_AUTHOR = 'admin';

const messages = {
  usage: [
    '用法: npm run news:import -- [--dry-run] [--author <署名>] [--as <管理员登录名>] <文件>',
    '',
    '  <文件>       RSS 2.0 或 Atom (XML) 文件,或 JSON 文章数组:',
    '               [{"title","body" 或 "summary","sourceName","sourceUrl","publishedAt","author","category"}]',
    '  --dry-run    只检查文件和重复来源,不写入数据库',
    `  --author     文章页显示的作者(默认 ${DEFAULT_AUTHOR},用 --as 时为该管理员的名字)`,
    '  --as         记入审计日志的管理员登录名(默认记为命令行操作)',
    '',
    '导入的文章立即发布,发布时间为原文日期;已导入过的来源网址会跳过。',
    '退出码: 0 完成;1 文件无法读取或格式错误(没有导入任何文章)或数据库出错;2 用法错误。',
  ].join('\n'),
  unreadable: (file: string, reason: string) => `无法读取文件 ${file}:${reason}`,
  malformed: (reason: string) => `文件格式错误:${reason}\n没有导入任何文章。`,
  noAdmin: (login: string) => `找不到管理员账号 ${login}`,
  failed: (reason: string) => `导入失败,没有导入任何文章:${reason}`,
  progress: (done: number, total: number) => `导入进度 ${done}/${total}`,
  summary: (r: ImportReport) =>
    `${r.dryRun ? '试运行(未写入):可导入' : '新增'} ${r.added.length} 篇,跳过 ${r.skipped.length} 篇,拒绝 ${r.refused.length} 篇(文件共 ${r.total} 条)`,
  refusedHead: '拒绝:',
  skippedHead: '跳过:',
  line: (l: ReportLine) => `  第 ${l.index} 条${l.title ? `《${l.title}》` : ''}:${l.reason}`,
};

class UsageError extends Error {}

type Args = { file: string; dryRun: boolean; author?: string; as?: string };

function readArgs(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean' }, author: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) throw new UsageError('');
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length ? '只能导入一个文件' : '请指定要导入的文件');
  const author = parsed.values.author?.trim();
  if (author !== undefined && (!author || author.length > 50)) throw new UsageError('--author 须为 1 到 50 个字');
  return { file: parsed.positionals[0]!, dryRun: Boolean(parsed.values['dry-run']), author, as: parsed.values.as };
}

/** A bar that redraws itself on a terminal, or a line every 10% when stderr is a file or a pipe. */
function progressReporter(stream: NodeJS.WriteStream): { update(done: number, total: number): void; end(): void } {
  let lastShown = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (total === 0) return;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\r导入 [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${done}/${total}`);
        drawn = true;
        return;
      }
      const step = Math.floor((done / total) * 10);
      if (step !== lastShown && (step > lastShown || done === total)) {
        lastShown = step;
        stream.write(`${messages.progress(done, total)}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}

async function resolveActor(ctx: AppContext, login: string | undefined): Promise<{ actor: Actor; name?: string }> {
  if (!login) return { actor: { id: null, login: `cli:${os.userInfo().username}` } };
  const user = await findUserByLogin(ctx.db, login);
  if (!user || user.role !== 'admin') throw new UsageError(messages.noAdmin(login));
  return { actor: { id: user.id, login: user.login }, name: user.displayName };
}

function printReport(report: ImportReport): void {
  const out: string[] = [messages.summary(report)];
  if (report.refused.length) out.push(messages.refusedHead, ...report.refused.map(messages.line));
  if (report.skipped.length) out.push(messages.skippedHead, ...report.skipped.map(messages.line));
  process.stdout.write(out.join('\n') + '\n');
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = readArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`${err.message}\n\n`);
    process.stderr.write(`${messages.usage}\n`);
    return EXIT.usage;
  }

  // The file is read and parsed before the database is opened: a bad file touches nothing.
  let parsed;
  try {
    parsed = parseImportFile(fs.readFileSync(args.file));
  } catch (err) {
    if (err instanceof ImportFileError) process.stderr.write(`${messages.malformed(err.message)}\n`);
    else process.stderr.write(`${messages.unreadable(args.file, (err as NodeJS.ErrnoException).code ?? (err as Error).message)}\n`);
    return EXIT.failed;
  }

  loadDotEnv();
  let booted;
  try {
    const config = parseConfig();
    booted = await boot(config, createLogger(process.env.LOG_LEVEL === 'silent' ? 'silent' : 'warn', pino.destination({ dest: 2, sync: true })), { seed: false });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof DatabaseOpenError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.failed;
    }
    throw err;
  }
  const { ctx } = booted;
  const progress = progressReporter(process.stderr);
  try {
    const { actor, name } = await resolveActor(ctx, args.as);
    const report = await importArticles(ctx.db, parsed.items, {
      format: parsed.format,
      actor,
      author: args.author ?? name ?? DEFAULT_AUTHOR,
      now: ctx.now(),
      dryRun: args.dryRun,
      fileName: args.file,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.end();
    printReport(report);
    return EXIT.ok;
  } catch (err) {
    progress.end();
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${messages.failed((err as Error).message)}\n`);
    return EXIT.failed;
  } finally {
    await ctx.dbHandle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(EXIT.failed);
  },
);
