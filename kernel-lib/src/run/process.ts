import { createWriteStream, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';

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

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/** Kill a whole process group (the generator was started as its leader); already-gone groups are fine. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}

/** Python's text=True reads with universal newlines: \r\n and \r become \n. */
function universalNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

class Tail {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  constructor(private readonly keep: number, private readonly log?: WriteStream) {}
  push(chunk: Buffer): void {
    this.log?.write(chunk);
    this.text += this.decoder.write(chunk);
    if (this.text.length > this.keep * 2) this.text = this.text.slice(-this.keep);
  }
  end(): string {
    this.text += this.decoder.end();
    return universalNewlines(this.text).slice(-this.keep);
  }
}

function closeStream(s: WriteStream | undefined): Promise<void> {
  return new Promise((resolve) => (s ? s.end(() => resolve()) : resolve()));
}

/**
 * Run one generator process from an argument array (never a shell) in its own process group, so a time-out
 * or a cancellation kills its whole tree, and nothing it started outlives it.
 */
export async function runProcess(argv: readonly string[], opts: ProcessOptions): Promise<ProcessOutcome> {
  const startedAt = new Date();
  const keep = opts.keepChars ?? 8000;
  const outLog = opts.stdoutLog ? createWriteStream(opts.stdoutLog) : undefined;
  const errLog = opts.stderrLog ? createWriteStream(opts.stderrLog) : undefined;
  const out = new Tail(keep, outLog);
  const err = new Tail(keep, errLog);
  let timedOut = false;
  let cancelled = false;
  const child = execa(argv[0]!, argv.slice(1), {
    cwd: opts.cwd,
    detached: true,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    cleanup: true,
    env: opts.env,
    windowsHide: true,
  });
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const stop = (why: 'timeout' | 'cancel') => {
    if (why === 'timeout') timedOut = true;
    else cancelled = true;
    killGroup(child.pid, 'SIGTERM');
    // A generator that ignores SIGTERM gets SIGKILL shortly after.
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
  };
  const timer = setTimeout(() => stop('timeout'), Math.max(1, opts.timeoutS * 1000));
  const onAbort = () => stop('cancel');
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await child;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  // Grandchildren left behind (background jobs of the generator) go with the group.
  killGroup(child.pid, 'SIGKILL');
  await Promise.all([closeStream(outLog), closeStream(errLog)]);
  const endedAt = new Date();
  const spawnError = result.failed && result.exitCode === undefined && !result.signal && !timedOut && !cancelled
    ? `${(result as { code?: string }).code ?? 'spawn failed'}: ${result.shortMessage ?? ''}`.trim()
    : undefined;
  let returncode: number | null = result.exitCode ?? null;
  if (returncode === null && result.signal) returncode = -(SIGNALS[result.signal] ?? 1);
  return { returncode, stdout: out.end(), stderr: err.end(), timedOut, cancelled, spawnError, signal: result.signal ?? undefined, startedAt, endedAt };
}
