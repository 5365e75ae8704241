export * from './types.js';
export * from './atomic-write.js';
export * from './npy.js';
export * from './midi-read.js';
export * from './midi-write.js';
export * from './python-style.js';
export * from './meta.js';
export * from './cp-to-notes.js';
