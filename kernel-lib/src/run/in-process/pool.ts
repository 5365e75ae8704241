import { join } from 'node:path';
import Tinypool from 'tinypool';
import { packageRoot } from '../../package-paths.js';
import type { ClassifyOutput, ClassifyTask, GenerateTask, TaskOutput, WorkerTask } from './tasks.js';

/**
 * The compiled worker: the CLI's own `generate` and `classify`, in a thread (a CLI-level entry, like
 * cli/main.ts; loaded by path, as `emotune` commands run the compiled CLI, tests included).
 */
export const workerPath: string = join(packageRoot, 'dist', 'cli', 'in-process-worker.js');

export interface WorkerPool {
  readonly size: number;
  /** Rejects with an AbortError when `signal` fires; the worker running the task is then terminated. */
  generate(task: Omit<GenerateTask, 'kind'>, signal?: AbortSignal): Promise<TaskOutput>;
  classify(task: Omit<ClassifyTask, 'kind'>, signal?: AbortSignal): Promise<ClassifyOutput>;
  destroy(): Promise<void>;
}

/**
 * `size` worker threads kept for the pool's life (they keep their loaded models), one task each at a time.
 * Whoever creates a pool destroys it: live workers would keep the process running.
 */
export function createWorkerPool(size: number): WorkerPool {
  const pool = new Tinypool({ filename: workerPath, minThreads: size, maxThreads: size, concurrentTasksPerWorker: 1 });
  const run = <T>(task: WorkerTask, signal?: AbortSignal) => pool.run(task, { signal: signal ?? null }) as Promise<T>;
  return {
    size,
    generate: (task, signal) => run<TaskOutput>({ kind: 'generate', ...task }, signal),
    classify: (task, signal) => run<ClassifyOutput>({ kind: 'classify', ...task }, signal),
    destroy: () => pool.destroy(),
  };
}
