import pLimit from 'p-limit';
import type { ClassifierConfig } from '../../config/types.js';
import { MIDIS_PLACEHOLDER } from '../../config/classifier-placeholders.js';
import { classifierRunsInProcess, poolSize } from '../../run/in-process/commands.js';
import { createWorkerPool } from '../../run/in-process/pool.js';
import { batchingClassifier } from '../classify-batches.js';
import { classifyBatch, classifyMidi } from './classifier-process.js';
import { outcomeFromOutput, type EmotionOutcome } from '../emotion-command.js';
import { errorMessage } from '../../errors.js';

/** How an analysis classifies files, whichever way the config's classifier runs. */
export interface ClassifierSession {
  /** Any number of calls at once: the session keeps to its processes or threads. */
  classify(file: string): Promise<EmotionOutcome>;
  /** Files worth asking for at once (enough to fill every batch that can run). */
  inFlight: number;
  /** Ends the worker threads, if any. */
  close(): Promise<void>;
}

/** Files per task sent to an in-process worker: enough to amortise the message, small enough to balance. */
const IN_PROCESS_BATCH = 8;
export const DEFAULT_BATCH_SIZE = 32;

/**
 * The built-in classifier in worker threads (unless isolated), a batch process per `batch_size` files for a
 * `{midis}` command, or else a process per file (the reference notebook's way); `concurrency` processes or threads at
 * once.
 */
export function openClassifierSession(
  classifier: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s' | 'isolate' | 'batch_size'>,
  concurrency = 4,
): ClassifierSession {
  if (classifierRunsInProcess(classifier)) {
    const pool = createWorkerPool(poolSize(concurrency));
    const runBatch = async (files: string[]): Promise<EmotionOutcome[]> => {
      const timeoutS = classifier.timeout_s * files.length;
      try {
        const out = await pool.classify({ files }, AbortSignal.timeout(timeoutS * 1000));
        return out.files.map((f) => outcomeFromOutput(f.file, f));
      } catch (e) {
        const name = (e as Error)?.name;
        const reason =
          name === 'AbortError' || name === 'TimeoutError'
            ? `time-out after ${timeoutS} s for a batch of ${files.length} file(s) (worker stopped)`
            : `the classifier's worker thread stopped: ${errorMessage(e)}`;
        return files.map((file) => ({ ok: false, file, reason }));
      }
    };
    return {
      classify: batchingClassifier(runBatch, { batchSize: IN_PROCESS_BATCH, parallel: pool.size }),
      inFlight: IN_PROCESS_BATCH * pool.size * 2,
      close: () => pool.destroy(),
    };
  }
  const parallel = Math.max(1, concurrency);
  if (classifier.command.includes(MIDIS_PLACEHOLDER)) {
    const batchSize = classifier.batch_size ?? DEFAULT_BATCH_SIZE;
    return {
      classify: batchingClassifier((files) => classifyBatch(files, classifier), { batchSize, parallel }),
      inFlight: batchSize * parallel,
      close: async () => {},
    };
  }
  const limit = pLimit(parallel);
  return { classify: (file) => limit(() => classifyMidi(file, classifier)), inFlight: parallel, close: async () => {} };
}
