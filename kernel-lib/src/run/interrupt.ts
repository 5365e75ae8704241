/**
 * Ctrl-C in the CLI, or a kernel interrupt in tslab (Jupyter sends the kernel SIGINT): stop starting runs and
 * kill the running generators, whose records then say `cancelled`. Both use this one signal source.
 */
export interface InterruptHandle {
  signal: AbortSignal;
  dispose(): void;
}

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
  process.on('SIGINT', handler);
  if (options.exitOnSecond) process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
