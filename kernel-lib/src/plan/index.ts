export * from './types.js';
export { stratifiedIndices, sampleStratified } from './stratified.js';
export { combinations, product } from './combinatorics.js';
export { buildConditionGrid, sampleTokenValues, type ConditionSubsetGrid, type GridOptions } from './grid.js';
export { conditionLabel, outDirPrefix, referenceStamp, runId } from './folder-name.js';
export { buildPlan } from './build-plan.js';
export { configurationBanner } from './banner.js';
