/**
 * @emotune/kernel-lib: the evaluation pipeline, one stage per folder, in the order the data flows.
 * Notebook cells call one stage function each; the `emotune` CLI calls the same functions.
 */
export * from './errors.js';
export * from './config/index.js';
export * from './vocab/index.js';
export * from './plan/index.js';
export * from './generate/index.js';
export * from './run/index.js';
export * from './formats/index.js';
export * from './metrics/index.js';
export * from './aggregate/index.js';
export * from './reference/index.js';
export * from './audio/index.js';
export * from './display/index.js';
export { packageRoot, embeddedDir, cliMainPath, resolveCommand } from './package-paths.js';
