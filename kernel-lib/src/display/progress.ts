/** A live progress display for a running evaluation, replaced in place through its display id. */
import { escapeHtml } from './escape.js';
import { newDisplayId, publishDisplay } from './sink.js';
import type { MimeBundle } from './types.js';

export interface ProgressState {
  done: number;
  failed: number;
  running: number;
  total: number;
  elapsedS?: number;
  etaS?: number;
  /** Runs finished per minute in this session (runs reused from an earlier one do not count). */
  throughputPerMin?: number;
  /** Optional line under the bar (e.g. the run that just finished). */
  message?: string;
}

export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s) || s < 0) return '–';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** A count for the display: a finite number >= 0, else 0 (the state may come from a notebook cell, any shape). */
function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
}

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Bundle for one progress state (pure; `createProgressDisplay` sends it). Every field is type-checked or escaped. */
export function progressBundle(raw: ProgressState, title = 'Evaluation'): MimeBundle {
  const state: ProgressState = {
    done: count(raw.done),
    failed: count(raw.failed),
    running: count(raw.running),
    total: count(raw.total),
    elapsedS: seconds(raw.elapsedS),
    etaS: seconds(raw.etaS),
    throughputPerMin: seconds(raw.throughputPerMin),
    message: raw.message === undefined || raw.message === null ? undefined : String(raw.message),
  };
  const finished = state.done + state.failed;
  const pct = state.total > 0 ? Math.min(100, (finished / state.total) * 100) : 0;
  const rate =
    state.throughputPerMin !== undefined && Number.isFinite(state.throughputPerMin)
      ? `${state.throughputPerMin.toFixed(1)} runs/min`
      : undefined;
  const line = `${String(title)}: ${finished}/${state.total} (${pct.toFixed(0)}%) — done ${state.done}, failed ${state.failed}, running ${state.running}; elapsed ${formatSeconds(state.elapsedS)}, ETA ${formatSeconds(state.etaS)}${rate ? `, ${rate}` : ''}`;
  const text = state.message !== undefined ? `${line}\n${state.message}` : line;
  const html =
    `<div class="emotune-progress" data-emotune-done="${state.done}" data-emotune-failed="${state.failed}" data-emotune-total="${state.total}">` +
    `<div><b>${escapeHtml(String(title))}</b> ${finished}/${state.total}</div>` +
    `<progress max="${state.total}" value="${finished}" style="width:100%"></progress>` +
    `<div>done <b>${state.done}</b> · failed <b style="color:${state.failed > 0 ? '#c00' : 'inherit'}">${state.failed}</b> · running <b>${state.running}</b> · elapsed ${formatSeconds(state.elapsedS)} · ETA ${formatSeconds(state.etaS)}${rate ? ` · ${rate}` : ''}</div>` +
    (state.message !== undefined ? `<div><small>${escapeHtml(state.message)}</small></div>` : '') +
    `</div>`;
  return { data: { 'text/html': html, 'text/plain': text }, metadata: {} };
}

export interface ProgressDisplay {
  readonly displayId: string;
  update(state: ProgressState): void;
}

/**
 * Create the display (shown at once with an empty state) and return a handle whose `update` replaces it.
 * Updates are throttled to `minIntervalMs` except when the run completes, so a fast loop does not flood the kernel.
 */
export function createProgressDisplay(
  options: { title?: string; total?: number; minIntervalMs?: number } = {},
): ProgressDisplay {
  const displayId = newDisplayId();
  const title = options.title ?? 'Evaluation';
  const minInterval = options.minIntervalMs ?? 200;
  let last = 0;
  let latest: ProgressState | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  publishDisplay(progressBundle({ done: 0, failed: 0, running: 0, total: options.total ?? 0 }, title), { displayId });
  const flush = (): void => {
    timer = null;
    if (!latest) return;
    last = Date.now();
    publishDisplay(progressBundle(latest, title), { displayId, update: true });
    latest = null;
  };
  return {
    displayId,
    update(state: ProgressState): void {
      latest = state;
      const complete = state.done + state.failed >= state.total;
      const wait = minInterval - (Date.now() - last);
      if (complete || wait <= 0) {
        if (timer) clearTimeout(timer);
        flush();
        return;
      }
      // Throttled: the latest state is still shown once the interval has passed (a skipped "start" of the
      // second worker would otherwise leave "running 1" on screen with two runs going).
      timer ??= setTimeout(flush, wait);
    },
  };
}
