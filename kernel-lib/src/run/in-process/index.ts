export {
  isEmbeddedGenerator,
  isEmbeddedClassifier,
  generatorRunsInProcess,
  classifierRunsInProcess,
  poolSize,
} from './commands.js';
export { createWorkerPool, workerPath, type WorkerPool } from './pool.js';
export { createInProcessBackend, generateInWorker } from './backend.js';
export { localBackendFor } from './select.js';
export type { GenerateTask, ClassifyTask, TaskOutput, ClassifyOutput } from './tasks.js';
