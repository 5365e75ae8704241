export * from './interval.js';
export * from './prng.js';
export * from './wilson.js';
export * from './bootstrap.js';
export * from './paired.js';
export * from './key-validation.js';
