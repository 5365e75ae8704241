export * from './profiles.js';
export * from './correlation.js';
export * from './detect.js';
export * from './methods.js';
export * from './mirex.js';
export * from './confusion.js';
export * from './key-validation.js';
