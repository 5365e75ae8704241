import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes that escaped a generator's process group (`setsid`, double forks) still carry the environment the
 * runner gave the generator. On Linux they are found in /proc by a marker variable and killed by pid; elsewhere
 * only the process group is killed. Only this user's processes can be read, so nothing else is touched.
 * Synchronous on purpose: it also runs in the last moment before `process.exit`.
 */
export const RUN_TOKEN_VAR = 'EMOTUNE_RUN_TOKEN';
export const EXP_DIR_VAR = 'EMOTUNE_EXP_DIR';

/** Pids (other than this process) whose environment holds `name=value` exactly. */
export function pidsWithEnv(name: string, value: string): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      // A leading NUL so the first variable matches too; the block ends in NUL.
      if (Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${e}/environ`)]).includes(needle)) out.push(Number(e));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/** SIGKILL every process carrying `name=value`; returns how many were signalled. */
export function killByEnv(name: string, value: string): number {
  let n = 0;
  for (const pid of pidsWithEnv(name, value)) {
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch {
      /* already gone */
    }
  }
  return n;
}
