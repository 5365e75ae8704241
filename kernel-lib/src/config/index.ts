export * from './types.js';
export {
  parseConfig,
  loadConfig,
  checkConfigFiles,
  withExperimentFolder,
  type LoadedConfig,
  type RawPaths,
} from './load.js';
export { configSchema } from './schema.js';
export { commandProblem, assertCommandRunnable, findProgram, type CommandProblem } from './commands.js';
export { nearestName, findUnknownField } from './field-names.js';
export { notebookPaths, jupyterStartDir, type NotebookPaths } from './notebook-paths.js';
