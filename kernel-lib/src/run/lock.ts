import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EmotuneError } from '../errors.js';

/**
 * One `emotune run` per experiment folder: two would run every generator twice and overwrite each other's
 * records. The lock file names its holder (pid, host, the process's start time, so a reused pid is not taken
 * for the holder); a lock whose holder is gone from this host is stale and taken over.
 */
export const LOCK_FILE = '.emotune.lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** Start time of the holder in clock ticks since boot (/proc/PID/stat field 22); null off Linux. */
  start: string | null;
  since: string;
  command: string;
}

export interface ExperimentLock {
  file: string;
  /** True when an earlier holder had died without releasing it (its generators may still be running). */
  tookOverStale: boolean;
  release(): Promise<void>;
}

function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder named in a lock still runs: only decidable on this host. */
export function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (!Number.isInteger(h.pid) || h.pid <= 0 || !pidAlive(h.pid)) return false;
  const now = startTime(h.pid);
  return h.start === null || now === null || now === h.start;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host}, since ${h.since} (${h.command})`;
}

/** Take the experiment folder's lock, or throw an EmotuneError saying who holds it. */
export async function lockExperiment(expDir: string): Promise<ExperimentLock> {
  await mkdir(expDir, { recursive: true });
  const file = join(expDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    start: startTime(process.pid),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 300),
  };
  const tmp = join(expDir, `${LOCK_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, `${JSON.stringify(me)}\n`);
  let tookOverStale = false;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, file); // atomic: fails when the lock exists, and the lock is never seen half-written
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
      const holder = parseHolder(await readFile(file, 'utf8').catch(() => ''));
      if (holder && holderAlive(holder)) {
        throw new EmotuneError(`the experiment folder is in use by another emotune run: ${describeHolder(holder)}`, {
          file,
          code: 'run.locked',
          expected: `that run to finish (or, if it is gone, delete ${file})`,
        });
      }
      // Dead holder (or an unreadable lock): stale. Remove it and try again; another taker may win the race.
      tookOverStale = true;
      await rm(file, { force: true });
    }
  } finally {
    await rm(tmp, { force: true });
  }
  return {
    file,
    tookOverStale,
    async release() {
      const holder = parseHolder(await readFile(file, 'utf8').catch(() => ''));
      if (holder && holder.pid === me.pid && holder.host === me.host) await rm(file, { force: true });
    },
  };
}
