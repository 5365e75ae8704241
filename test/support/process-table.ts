/**
 * The process table, read from /proc (Linux): which live processes belong to a test. A process belongs to it when
 * its command line or environment contains the test's unique folder path, or its working directory is inside it
 * (a generator's grandchild, `node -e ...`, names no path but inherits the generator's working directory).
 * Zombies are ignored: they hold no resources and vanish once their parent reaps them.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export interface ProcessEntry {
  pid: number;
  /** One-letter state from /proc/PID/stat (R, S, D, T, Z...). */
  state: string;
  cmdline: string;
  cwd: string | null;
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null; // the process exited while we looked, or is not ours to read
  }
}

async function entry(pid: number): Promise<ProcessEntry | null> {
  const stat = await readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name in parentheses may hold spaces or parentheses: the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  const cmdline = ((await readOrNull(`/proc/${pid}/cmdline`)) ?? '').replace(/\0/g, ' ').trim();
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => null);
  return { pid, state, cmdline, cwd };
}

/** Live (non-zombie) processes other than this one that belong to `folder` (an absolute, unique path). */
export async function processesOf(folder: string): Promise<ProcessEntry[]> {
  const root = path.resolve(folder);
  const pids = (await readdir('/proc'))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => p !== process.pid);
  const found: ProcessEntry[] = [];
  for (const pid of pids) {
    const e = await entry(pid);
    if (!e || e.state === 'Z' || e.state === 'X') continue;
    const inCwd = e.cwd !== null && (e.cwd === root || e.cwd.startsWith(root + path.sep));
    const environ = inCwd || e.cmdline.includes(root) ? '' : ((await readOrNull(`/proc/${pid}/environ`)) ?? '');
    if (inCwd || e.cmdline.includes(root) || environ.includes(root)) found.push(e);
  }
  return found;
}

/** True when `pid` is a live, non-zombie process. */
export async function isAlive(pid: number): Promise<boolean> {
  const e = await entry(pid);
  return e !== null && e.state !== 'Z' && e.state !== 'X';
}

/**
 * Polls until no process of `folder` is left or `timeoutMs` passes; returns what is left (empty when clean), so a
 * test can assert on it and print the offenders.
 */
export async function leftoverProcesses(folder: string, timeoutMs: number): Promise<ProcessEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await processesOf(folder);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Test clean-up only: SIGKILL what a failed test left behind (the processes it started, by pid). */
export async function killLeftovers(folder: string): Promise<void> {
  for (const e of await processesOf(folder)) {
    try {
      process.kill(e.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
