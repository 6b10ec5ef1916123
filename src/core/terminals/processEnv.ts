// The environment a command typed in a terminal really runs with, read on Linux from
// /proc/<pid>/environ of the shell's child once it has exec'd its program (a forked shell that has
// not yet exec'd still shows the shell's start-up environment, without later exports). The raw
// bytes may hold secret values: they are reduced at once to names and AWS_PROFILE (observeEnviron).
import { promises as fs } from 'node:fs';
import { observeEnviron, type ObservedEnvironment } from './peerOverrides';

export interface PollOptions {
  /** Give up after this long (a command that ended sooner is simply not seen). */
  timeoutMs?: number;
  intervalMs?: number;
  /** For tests: where proc lives. */
  procRoot?: string;
}

/** Polls the shell's children until one runs a program other than the shell; undefined if none did in time. */
export async function commandEnvironment(shellPid: number, opts: PollOptions = {}): Promise<ObservedEnvironment | undefined> {
  const proc = opts.procRoot ?? '/proc';
  const deadline = Date.now() + (opts.timeoutMs ?? 3000);
  const shellExe = await fs.readlink(`${proc}/${shellPid}/exe`).catch(() => undefined);
  if (shellExe === undefined) return undefined; // not Linux, or not our user's process
  while (Date.now() < deadline) {
    for (const child of await childrenOf(proc, shellPid)) {
      const exe = await fs.readlink(`${proc}/${child}/exe`).catch(() => undefined);
      if (exe === undefined || exe === shellExe) continue;
      const raw = await fs.readFile(`${proc}/${child}/environ`).catch(() => undefined);
      if (raw) return observeEnviron(raw);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
  return undefined;
}

async function childrenOf(proc: string, pid: number): Promise<number[]> {
  const listed = await fs.readFile(`${proc}/${pid}/task/${pid}/children`, 'utf8').catch(() => undefined);
  if (listed !== undefined) return listed.split(/\s+/).filter(Boolean).map(Number);
  // Kernels without CONFIG_PROC_CHILDREN: every process's parent, from its stat line.
  const out: number[] = [];
  for (const name of await fs.readdir(proc).catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await fs.readFile(`${proc}/${name}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(name));
  }
  return out;
}
