export { createSlurmBackend, slurmDir } from './backend.js';
export { buildSbatchScript, formatSlurmTime, type SbatchScriptOptions } from './script.js';
export { runSlurmTask, executeSlurmTask } from './task.js';
export { readManifestTask } from './manifest.js';
export { parseSqueue, parseScontrol, parseSacct, expandTaskIds, isFinalState, type TaskState } from './queue-state.js';
export { recordFromResult, cancelledRecord, recordFromSlurmState } from './records.js';
export { shQuote } from './shell-quote.js';
export type { SlurmBackendOptions, SlurmManifest, SlurmTaskSpec, SlurmTaskResult } from './types.js';
