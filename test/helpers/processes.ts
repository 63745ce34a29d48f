// Runs the real server or a CLI command as a child process (TypeScript through @swc-node/register), for tests of start-up, locks and shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export type Proc = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

export function runTs(script: string, args: string[], env: Record<string, string>, stdin?: string): Proc {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Starts src/server.ts on a free port and resolves once it listens. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<Proc & { port: number }> {
  const proc = runTs('src/server.ts', [], { PORT: '0', HOST: '127.0.0.1', ...env });
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const m = /"port":(\d+)/.exec(proc.output());
    if (m) return { ...proc, port: Number(m[1]) };
    if (proc.child.exitCode !== null) throw new Error(`server exited early:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`server did not start:\n${proc.output()}`);
}
