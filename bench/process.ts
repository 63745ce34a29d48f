// Owns how the benchmarks start the server and read a process's CPU: one definition for bench/run.ts and
// bench/route-cpu.ts, so both measure the server as `npm start` runs it.
import fs from 'node:fs';
import path from 'node:path';

/**
 * CPU time (user + system) a process has used so far, in ms: a cost per request that load on a shared machine does
 * not change. `withChildren`: plus that of the children it has waited for.
 */
export function cpuMs(pid: number, withChildren = false): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command name: field 14 (utime) and 15 (stime) of proc(5) are at 11 and 12, 16 and 17 (cutime,
  // cstime) at 13 and 14; clock ticks of 10 ms.
  const own = Number(fields[11]) + Number(fields[12]);
  return (own + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0)) * 10;
}

/** The server as `npm start` runs it in the checkout `root`: its environment settings (glibc's memory pools) and node flags, read from package.json. */
export function productionLaunch(root: string): { env: Record<string, string>; nodeArgs: string[] } {
  const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const m = /^((?:\w+=\S+\s+)*)node\s+((?:--\S+\s+)*)dist\/server\.js$/.exec(start);
  if (!m) throw new Error(`package.json's start script is not "VAR=value … node --flag … dist/server.js": ${start}`);
  const env = Object.fromEntries(m[1]!.trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
  return { env, nodeArgs: m[2]!.trim().split(/\s+/).filter(Boolean) };
}
