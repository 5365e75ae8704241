import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { setLongTimeout } from './safe-timer.js';
import { killByEnv, RUN_TOKEN_VAR } from './strays.js';
import { writeErrorMessage } from './io-errors.js';
import { errorMessage } from '../errors.js';

export interface ProcessOutcome {
  /** Exit code; negative signal number when killed by a signal (as Python's subprocess). */
  returncode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started (ENOENT, EACCES...). */
  spawnError?: string;
  signal?: string;
  /** A log file could not be written ("disk full while writing ..."); the run's output is incomplete. */
  logError?: string;
  startedAt: Date;
  endedAt: Date;
}

export interface ProcessOptions {
  cwd: string;
  timeoutS: number;
  signal?: AbortSignal;
  /** Full output goes to these files (the record keeps only tails). */
  stdoutLog?: string;
  stderrLog?: string;
  /** Characters of each stream kept in memory. */
  keepChars?: number;
  env?: Record<string, string>;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/** From SIGTERM to SIGKILL; and how long pipes held open by leftovers may delay the end of a run. */
export const KILL_GRACE_MS = 2000;

/** Kill a whole process group (the generator was started as its leader); already-gone groups are fine. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

/** Process groups (leader pid -> run token) of generators still running in this process. */
const live = new Map<number, string>();

/**
 * SIGKILL every generator group this process started and everything carrying their tokens: the last act of a
 * second Ctrl-C, so no generator (not even one ignoring SIGTERM) outlives the CLI.
 */
export function killAllRunning(): number {
  const n = live.size;
  for (const [pid, token] of live) {
    killGroup(pid, 'SIGKILL');
    killByEnv(RUN_TOKEN_VAR, token);
  }
  live.clear();
  return n;
}

/** Python's text=True reads with universal newlines: \r\n and \r become \n. */
function universalNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** A log file whose write errors (ENOSPC...) are caught and described instead of crashing the process. */
class Log {
  readonly stream?: WriteStream;
  error?: string;
  constructor(readonly path: string | undefined) {
    if (!path) return;
    this.stream = createWriteStream(path);
    this.stream.on('error', (e) => {
      this.error ??= writeErrorMessage(e, path);
    });
  }
  write(chunk: Buffer): void {
    if (this.stream && this.error === undefined && !this.stream.destroyed) this.stream.write(chunk);
  }
  close(): Promise<void> {
    const s = this.stream;
    if (!s || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      s.once('close', () => resolve());
      s.end();
    });
  }
}

class Tail {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  constructor(
    private readonly keep: number,
    private readonly log: Log,
  ) {}
  push(chunk: Buffer): void {
    this.log.write(chunk);
    this.text += this.decoder.write(chunk);
    if (this.text.length > this.keep * 2) this.text = this.text.slice(-this.keep);
  }
  end(): string {
    this.text += this.decoder.end();
    return universalNewlines(this.text).slice(-this.keep);
  }
}

/** Starts the generator as the leader of a new process group, marked with the run's token. */
function spawnInGroup(
  argv: readonly string[],
  opts: ProcessOptions,
  token: string,
): ReturnType<typeof spawn> | { refused: unknown } {
  try {
    return spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env, [RUN_TOKEN_VAR]: token },
      windowsHide: true,
    });
  } catch (e) {
    return { refused: e };
  }
}

/** The outcome of a command Node refused to start: no process, the reason as the spawn error. */
function refusedOutcome(e: unknown, startedAt: Date): ProcessOutcome {
  return {
    returncode: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    cancelled: false,
    spawnError: `${(e as NodeJS.ErrnoException).code ?? 'spawn failed'}: ${errorMessage(e)}`,
    startedAt,
    endedAt: new Date(),
  };
}

/**
 * Run one generator process from an argument array (never a shell) in its own process group, so a time-out
 * or a cancellation kills its whole tree, and nothing it started outlives it. The run ends when the generator
 * exits (not when its pipes close: a background child may hold them); whatever is left of its group, and any
 * process that escaped the group but carries the run's token, is then killed. The time-out always ends the run.
 */
export function runProcess(argv: readonly string[], opts: ProcessOptions): Promise<ProcessOutcome> {
  const startedAt = new Date();
  const keep = opts.keepChars ?? 8000;
  const outLog = new Log(opts.stdoutLog);
  const errLog = new Log(opts.stderrLog);
  const out = new Tail(keep, outLog);
  const err = new Tail(keep, errLog);
  const token = randomUUID();
  let timedOut = false;
  let cancelled = false;
  let spawnError: string | undefined;
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;

  const child = spawnInGroup(argv, opts, token);
  // Arguments Node refuses before starting anything (an empty command, a NUL byte in an argument).
  if ('refused' in child) return Promise.resolve(refusedOutcome(child.refused, startedAt));
  if (child.pid) live.set(child.pid, token);
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));

  return new Promise<ProcessOutcome>((resolve) => {
    let settled = false;
    const timers: Array<{ clear(): void }> = [];
    const later = (fn: () => void, ms: number) => timers.push(setLongTimeout(fn, ms));
    const cleanupTree = () => {
      killGroup(child.pid, 'SIGKILL');
      killByEnv(RUN_TOKEN_VAR, token);
    };
    const finish = async () => {
      if (settled) return;
      settled = true;
      for (const t of timers) t.clear();
      opts.signal?.removeEventListener('abort', onAbort);
      // Grandchildren left behind (background jobs of the generator) go with the group or by their token.
      cleanupTree();
      if (child.pid) live.delete(child.pid);
      child.stdout?.destroy();
      child.stderr?.destroy();
      await Promise.all([outLog.close(), errLog.close()]);
      const endedAt = new Date();
      let returncode: number | null = exitCode;
      if (returncode === null && exitSignal) returncode = -(SIGNALS[exitSignal] ?? 1);
      const logError = outLog.error ?? errLog.error;
      resolve({
        returncode,
        stdout: out.end(),
        stderr: err.end(),
        timedOut,
        cancelled,
        spawnError,
        signal: exitSignal ?? undefined,
        logError,
        startedAt,
        endedAt,
      });
    };
    const stop = (why: 'timeout' | 'cancel') => {
      if (settled || timedOut || cancelled) return;
      if (why === 'timeout') timedOut = true;
      else cancelled = true;
      killGroup(child.pid, 'SIGTERM');
      // A generator that ignores SIGTERM gets SIGKILL shortly after; and the run ends even if pipes stay open.
      later(cleanupTree, KILL_GRACE_MS);
      later(() => void finish(), 2 * KILL_GRACE_MS);
    };
    const onAbort = () => stop('cancel');

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // an error after a successful start (e.g. a failed kill) changes nothing
      spawnError = `${e.code ?? 'spawn failed'}: ${e.message}`;
      void finish();
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      cleanupTree();
      // Pipes normally close at once; if something escaped even the token scan, stop waiting after a grace.
      later(() => void finish(), KILL_GRACE_MS);
    });
    child.on('close', () => void finish());
    if (child.pid !== undefined) later(() => stop('timeout'), Math.max(1, opts.timeoutS * 1000));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
