import type { LoadedConfig } from '../config/load.js';
import { createLocalBackend } from './local-backend.js';
import type { RunBackend } from './types.js';

/** The backend a config asks for: this machine, or a Slurm job array. */
export function selectBackend(config: LoadedConfig): RunBackend {
  return createLocalBackend();
}
