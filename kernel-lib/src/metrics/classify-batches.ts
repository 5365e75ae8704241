import type { EmotionOutcome } from './emotion-command.js';
import { errorMessage } from '../errors.js';

export interface BatchingOptions {
  /** Files per batch at most. */
  batchSize: number;
  /** Batches running at once. */
  parallel: number;
  /** A partial batch starts once no file has been asked for during this many milliseconds. */
  waitMs?: number;
}

interface Pending {
  file: string;
  resolve: (o: EmotionOutcome) => void;
}

/**
 * Turns a classifier that takes many files at once into one that takes a file: files asked for close together
 * go out as one batch (full batches at once, a partial one after a short quiet spell), at most `parallel`
 * batches at a time. A batch that throws fails each of its files with the reason; nothing is dropped.
 */
export function batchingClassifier(
  runBatch: (files: string[]) => Promise<EmotionOutcome[]>,
  opts: BatchingOptions,
): (file: string) => Promise<EmotionOutcome> {
  const size = Math.max(1, Math.floor(opts.batchSize));
  const parallel = Math.max(1, Math.floor(opts.parallel));
  const waitMs = opts.waitMs ?? 10;
  const queue: Pending[] = [];
  let running = 0;
  let quiet = false;
  let timer: NodeJS.Timeout | undefined;

  const start = (batch: Pending[]) => {
    running++;
    const files = batch.map((p) => p.file);
    runBatch(files)
      .then(
        (outcomes) =>
          batch.forEach((p, i) =>
            p.resolve(outcomes[i] ?? { ok: false, file: p.file, reason: 'the batch gave no result for this file' }),
          ),
        (e: unknown) => batch.forEach((p) => p.resolve({ ok: false, file: p.file, reason: errorMessage(e) })),
      )
      .finally(() => {
        running--;
        pump();
      });
  };
  const pump = () => {
    while (running < parallel && queue.length > 0 && (queue.length >= size || quiet)) start(queue.splice(0, size));
  };
  return (file: string) =>
    new Promise<EmotionOutcome>((resolve) => {
      queue.push({ file, resolve });
      quiet = false;
      clearTimeout(timer);
      timer = setTimeout(() => {
        quiet = true;
        pump();
      }, waitMs);
      pump();
    });
}
