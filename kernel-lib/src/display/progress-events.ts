/** Feeds the notebook's live progress display from the runner's progress events (the CLI bar reads the same). */
import type { ProgressEvent } from '../run/types.js';
import { createProgressDisplay, type ProgressDisplay, type ProgressState } from './progress.js';

/** Display state plus what throughput needs: how many runs were reused rather than run. */
export type RunProgressState = ProgressState & { skipped?: number };

/** Fold one runner event into the display state (`done` there counts successes, `failed` the rest). */
export function progressStateFrom(event: ProgressEvent, prev: RunProgressState): RunProgressState {
  const perMin = (finished: number, elapsedS: number) =>
    elapsedS > 0 ? ((finished - (prev.skipped ?? 0)) / elapsedS) * 60 : undefined;
  switch (event.type) {
    case 'plan':
      return {
        ...prev,
        total: event.total,
        done: event.skipped,
        skipped: event.skipped,
        message: event.skipped > 0 ? `${event.skipped} run(s) already complete` : undefined,
      };
    case 'start':
      return {
        ...prev,
        running: event.running,
        message: `started [${event.run.index}] ${event.run.model} ${event.run.mode} emo${event.run.emotion}${event.run.key ? ` ${event.run.key}` : ''}`,
      };
    case 'record':
      return {
        skipped: prev.skipped,
        throughputPerMin: perMin(event.done, event.elapsedS),
        done: event.done - event.failed,
        failed: event.failed,
        running: event.running,
        total: event.total,
        elapsedS: event.elapsedS,
        etaS: event.etaS ?? undefined,
        message: `[${event.record.index}] ${event.record.status}${event.record.reason ? `: ${event.record.reason}` : ''}`,
      };
    case 'end':
      return {
        ...prev,
        done: event.done - event.failed,
        failed: event.failed,
        running: 0,
        total: event.total,
        elapsedS: event.elapsedS,
        etaS: 0,
        throughputPerMin: perMin(event.done, event.elapsedS),
        message: event.cancelled > 0 ? `cancelled (${event.cancelled} run(s) stopped)` : 'finished',
      };
  }
}

/**
 * A progress display that takes runner events directly: `runPlan({ onProgress: display.onProgress })`.
 * @example
 * ```ts
 * const progress = et.createRunProgressDisplay({ title: "Generation runs" });
 * await et.runPlan({ config: config, plan: plan, word2eventByModel: vocabs, onProgress: progress.onProgress });
 * ```
 */
export function createRunProgressDisplay(
  options: { title?: string } = {},
): ProgressDisplay & { onProgress(event: ProgressEvent): void } {
  const display = createProgressDisplay({ title: options.title ?? 'Generation runs' });
  let state: RunProgressState = { done: 0, failed: 0, running: 0, total: 0 };
  return {
    ...display,
    onProgress(event: ProgressEvent) {
      state = progressStateFrom(event, state);
      display.update(state);
    },
  };
}
