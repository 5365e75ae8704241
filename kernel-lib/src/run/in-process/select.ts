import type { LoadedConfig } from '../../config/load.js';
import { createLocalBackend } from '../local-backend.js';
import type { RunBackend } from '../types.js';
import { createInProcessBackend } from './backend.js';
import { generatorRunsInProcess } from './commands.js';

/** This machine's backend for a config: worker threads for the embedded generator, else a process per run. */
export function localBackendFor(config: Pick<LoadedConfig, 'generator'>): RunBackend {
  return generatorRunsInProcess(config.generator) ? createInProcessBackend() : createLocalBackend();
}
