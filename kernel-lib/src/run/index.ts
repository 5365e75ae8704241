export * from './types.js';
export { runProcess, killGroup, type ProcessOutcome, type ProcessOptions } from './process.js';
export { recordFromOutcome, tailChars, TAIL_CHARS } from './record.js';
export { prepareRun, stableSuffix, StampClock } from './prepare.js';
export { createLocalBackend, STDOUT_LOG, STDERR_LOG } from './local-backend.js';
export { checkRunOutputs, type OutputCheck } from './check-outputs.js';
export { readRunsMetadata, writeRunsMetadata, metadataPath, RUNS_METADATA_FILE } from './metadata.js';
export { runPlan, type RunPlanOptions, type RunPlanResult } from './run-plan.js';
export { runSummaryLines } from './summary.js';
