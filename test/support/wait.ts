/** Polling until a condition holds, with a message that says what was awaited when it times out. */

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Named in the time-out error. */
  what: string;
}

/** Thrown by a probe to stop waiting at once (e.g. the awaited process has exited). */
export class WaitAborted extends Error {}

/** Calls `probe` until it returns a value other than undefined/false; errors thrown by it count as "not yet" except WaitAborted. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (err instanceof WaitAborted) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${why}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}
