// The processes a pilot started, found in /proc (Linux; elsewhere there is nothing to find): by
// their parent chain (the harness is a child subreaper, so daemons and double forks of the script
// stay below it while it lives), and by the run's tag in their environment (which they inherit,
// and keep after the harness died and they were reparented to init).
import { readdirSync, readFileSync } from 'node:fs';

/** Live (not zombie) descendants of `root`, parents before children. */
export function descendants(root: number): number[] {
  const children = new Map<number, { pid: number; zombie: boolean }[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    // the command name may hold spaces and parentheses: the fields after it follow the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (!Number.isInteger(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push({ pid: Number(name), zombie: fields[0] === 'Z' });
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      stack.push(c.pid);
      if (!c.zombie) out.push(c.pid);
    }
  }
  return out;
}

/** SIGKILL the process group of `leader` and every descendant of it (listed first, while the
 *  leader still holds them). */
export function killTree(leader: number): void {
  const tree = descendants(leader);
  for (const target of [-leader, leader, ...tree]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The environment variable that tags every process of a run. */
export const RUN_TAG_ENV = 'WATTLENS_PILOT_RUN';

/** Processes (not this one) whose environment holds RUN_TAG_ENV=tag. */
export function taggedProcesses(tag: string): number[] {
  const needle = `${RUN_TAG_ENV}=${tag}`;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(name));
    } catch {
      // gone, or another user's
    }
  }
  return found;
}

/** SIGKILL every process tagged with the run's tag (what escaped a harness that was killed). */
export function killTagged(tag: string): void {
  for (const pid of taggedProcesses(tag)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
