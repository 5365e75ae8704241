/**
 * Node's setTimeout takes at most 2^31-1 ms (about 24.8 days); a longer delay overflows and fires at once.
 * This timer waits in steps no longer than that, so any delay (even Infinity, which never fires) is honoured.
 */
export const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

export function setLongTimeout(fn: () => void, ms: number, options: { unref?: boolean } = {}): LongTimer {
  const deadline = performance.now() + Math.max(0, ms);
  let handle: NodeJS.Timeout | undefined;
  let cleared = false;
  const arm = () => {
    if (cleared) return;
    const left = deadline - performance.now();
    if (left <= 0) {
      fn();
      return;
    }
    handle = setTimeout(arm, Math.min(MAX_TIMER_STEP_MS, Math.max(1, Math.ceil(left))));
    if (options.unref) handle.unref();
  };
  if (ms !== Infinity) arm();
  return {
    clear() {
      cleared = true;
      if (handle) clearTimeout(handle);
    },
  };
}
