/**
 * Ctrl-C in the CLI, or a kernel interrupt in tslab (Jupyter sends the kernel SIGINT): stop starting runs and
 * kill the running generators, whose records then say `cancelled`. Both use this one signal source.
 */
export interface InterruptHandle {
  signal: AbortSignal;
  dispose(): void;
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
  const handler = () => {
    count++;
    if (count === 1) {
      options.onFirst?.();
      controller.abort();
    } else if (options.exitOnSecond) {
      process.exit(130);
    }
  };
  // Registered after the current synchronous code: a tslab cell runs inside vm's breakOnSigint, which removes the
  // SIGINT listeners and, when it ends, resets the native SIGINT handler to "exit"; a listener added during the cell
  // itself would then stay registered in JS only, and the kernel interrupt would kill the kernel and orphan the runs.
  let disposed = false;
  queueMicrotask(() => {
    if (disposed) return;
    process.on('SIGINT', handler);
    if (options.exitOnSecond) process.on('SIGTERM', handler);
  });
  return {
    signal: controller.signal,
    dispose() {
      disposed = true;
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
