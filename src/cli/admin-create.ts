// `npm run admin:create -- <login>`: creates an admin account, asking for the password (or ADMIN_PASSWORD from the environment).
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { createUser, findUserByLogin } from '../features/accounts/accounts.service';
import { adminCreateSchema } from '../features/accounts/accounts.validation';
import { runCli, UsageError } from './run';

const messages = {
  usage: '用法: npm run admin:create -- <手机号或邮箱> [显示名称]',
  exists: (login: string) => `账号 ${login} 已存在,未做任何修改。`,
  created: (login: string) => `管理员 ${login} 已创建。`,
};

/** Reads a line without echoing it when stdin is a terminal; reads plain lines when piped (scripts, tests). */
function ask(question: string, lines: AsyncIterator<string> | null): Promise<string> {
  if (lines) return lines.next().then((r) => (r.done ? '' : r.value));
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stderr.write(question);
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    }),
  );
}

void runCli(async (ctx) => {
  const [login, displayName = '管理员'] = process.argv.slice(2);
  if (!login) throw new UsageError(messages.usage);
  const piped = process.stdin.isTTY ? null : readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const password = process.env.ADMIN_PASSWORD ?? (await ask('密码 (8-64 位): ', piped));
  const confirm = process.env.ADMIN_PASSWORD ?? (await ask('再次输入密码: ', piped));
  const parsed = adminCreateSchema.safeParse({ login, password, passwordConfirm: confirm });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${String(issue.path[0])}: ${issue.message}`);
    return 1;
  }
  if (await findUserByLogin(ctx.db, parsed.data.login)) {
    console.error(messages.exists(parsed.data.login));
    return 1;
  }
  await createUser(ctx.db, { login: parsed.data.login, password, role: 'admin', displayName, consented: false });
  console.log(messages.created(parsed.data.login));
  return 0;
});
