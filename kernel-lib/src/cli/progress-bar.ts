import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../run/types.js';

function fmtEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** A terminal progress bar fed by the runner's progress events (the notebook display reads the same events). */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): {
  onProgress(e: ProgressEvent): void;
  stop(): void;
} {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'runs {bar} {value}/{total} | failed {failed} | running {running} | {rate} runs/s | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let skipped = 0;
  return {
    onProgress(e) {
      if (e.type === 'plan') {
        skipped = e.skipped;
        bar.start(e.total, e.skipped, { failed: 0, running: 0, rate: '0.0', etaText: '--' });
        started = true;
      } else if (e.type === 'start') {
        bar.update({ running: e.running });
      } else if (e.type === 'record') {
        // Throughput of this invocation: runs reused from an earlier one are not counted.
        const rate = e.elapsedS > 0 ? ((e.done - skipped) / e.elapsedS).toFixed(1) : '0.0';
        bar.update(e.done, { failed: e.failed, running: e.running, rate, etaText: fmtEta(e.etaS) });
      } else if (e.type === 'end') {
        if (started) bar.stop();
        started = false;
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
