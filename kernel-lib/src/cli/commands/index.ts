import type { Command } from 'commander';
import { register as plan } from './plan.js';
import { register as run } from './run.js';
import { register as slurmTask } from './slurm-task.js';
import { register as classify } from './classify.js';
import { register as trainClassifier } from './train-classifier.js';

// One line per subcommand; each module exports `register(program)`.
const registrars: Array<(program: Command) => void> = [
  classify,
  trainClassifier,
  plan,
  run,
  slurmTask,
];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
