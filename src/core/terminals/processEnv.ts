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

/**
 * Polls the shell's descendants until one runs `tool` (a word of its argv names it: `aws`, or the
 * Python running the `aws` script); undefined if none did in time. A forked shell that has not
 * exec'd yet still has the shell's argv, so it is never taken for the command.
 */
export async function commandEnvironment(shellPid: number, tool: string, opts: PollOptions = {}): Promise<ObservedEnvironment | undefined> {
  const proc = opts.procRoot ?? '/proc';
  const deadline = Date.now() + (opts.timeoutMs ?? 3000);
  while (Date.now() < deadline) {
    const descendants = await descendantsOf(proc, shellPid);
    if (descendants === undefined) return undefined; // not Linux, gone, or not our user's process
    for (const pid of descendants) {
      const argv = await fs.readFile(`${proc}/${pid}/cmdline`, 'utf8').catch(() => '');
      if (!argv.split('\0').some((word) => word.slice(word.lastIndexOf('/') + 1) === tool)) continue;
      const raw = await fs.readFile(`${proc}/${pid}/environ`).catch(() => undefined);
      if (raw) return observeEnviron(raw);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
  return undefined;
}

/** Children, grandchildren… (a few levels: wrappers, shims, subshells), or undefined when the shell is not there. */
async function descendantsOf(proc: string, pid: number, depth = 4): Promise<number[] | undefined> {
  if (
    !(await fs.stat(`${proc}/${pid}`).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  const out: number[] = [];
  let level = [pid];
  for (let d = 0; d < depth && level.length; d++) {
    level = (await Promise.all(level.map((p) => childrenOf(proc, p)))).flat();
    out.push(...level);
  }
  return out;
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
