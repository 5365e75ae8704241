import type { LoadedConfig } from '../config/load.js';
import { localBackendFor } from './in-process/select.js';
import { createSlurmBackend } from './slurm/backend.js';
import type { RunBackend } from './types.js';

/** The backend a config asks for: this machine (worker threads for the embedded generator), or a Slurm job array. */
export function selectBackend(config: LoadedConfig): RunBackend {
  if (config.backend === 'slurm') return createSlurmBackend({ ...config.slurm, exp_dir: config.paths.exp });
  return localBackendFor(config);
}
