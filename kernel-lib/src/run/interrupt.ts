import { killAllRunning } from './process.js';

/**
 * Ctrl-C in the CLI, or a kernel interrupt in tslab (Jupyter sends the kernel SIGINT): stop starting runs and
 * kill the running generators, whose records then say `cancelled`. Both use this one signal source.
 * In the CLI (`exitOnSecond`), SIGTERM and SIGHUP (terminal or ssh closed) cancel the same way, and a second
 * signal SIGKILLs every generator's process group before exiting, so none is left running.
 */
export interface InterruptHandle {
  signal: AbortSignal;
  dispose(): void;
}

const CLI_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** After SIGHUP the terminal is gone: writing to it fails (EIO/EPIPE), which must not crash the clean-up. */
function ignoreClosedTerminal(): void {
  for (const s of [process.stdout, process.stderr]) if (s.listenerCount('error') === 0) s.on('error', () => {});
}

/**
 * An AbortSignal that fires on the first SIGINT (Ctrl-C, or the kernel's interrupt button); `dispose()` stops listening.
 * @example
 * ```ts
 * const interrupt = et.abortOnInterrupt();
 * const run = await et.runPlan({ config: config, plan: plan, word2eventByModel: vocabs, signal: interrupt.signal })
 *   .finally(() => interrupt.dispose());
 * if (run.cancelled) console.log("interrupted: the records say which runs were cancelled");
 * ```
 */
export function abortOnInterrupt(options: { onFirst?: () => void; exitOnSecond?: boolean } = {}): InterruptHandle {
  const controller = new AbortController();
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (signal === 'SIGHUP') ignoreClosedTerminal();
    if (count === 1) {
      options.onFirst?.();
      controller.abort();
    } else if (options.exitOnSecond) {
      killAllRunning();
      process.exit(130);
    }
  };
  // Registered after the current synchronous code: a tslab cell runs inside vm's breakOnSigint, which removes the
  // SIGINT listeners and, when it ends, resets the native SIGINT handler to "exit"; a listener added during the cell
  // itself would then stay registered in JS only, and the kernel interrupt would kill the kernel and orphan the runs.
  let disposed = false;
  const signals: NodeJS.Signals[] = options.exitOnSecond ? CLI_SIGNALS : ['SIGINT'];
  queueMicrotask(() => {
    if (disposed) return;
    for (const s of signals) process.on(s, handler);
  });
  return {
    signal: controller.signal,
    dispose() {
      disposed = true;
      for (const s of signals) process.off(s, handler);
    },
  };
}
