// Real-music frame of reference: ceiling, floor, agreement, distances to the EMOPIA reference.
export * from './agreement.js';
export * from './distances.js';
export * from './stats-file.js';
export * from './build-stats.js';
export * from './block.js';
export * from './collect.js';
export * from './tables.js';
