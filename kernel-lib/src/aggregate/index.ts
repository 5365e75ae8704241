export * from './py-format.js';
export * from './rows.js';
export * from './comparison-table.js';
export * from './analyze-experiment.js';
export * from './stats/index.js';
export * from './extended-results.js';
export * from './problems.js';
