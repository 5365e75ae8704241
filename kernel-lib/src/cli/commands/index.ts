import type { Command } from 'commander';
import { register as plan } from './plan.js';
import { register as run } from './run.js';
import { register as analyze } from './analyze.js';
import { register as table } from './table.js';
import { register as evaluate } from './evaluate.js';
import { register as key } from './key.js';
import { register as slurmTask } from './slurm-task.js';
import { register as classify } from './classify.js';
import { register as trainClassifier } from './train-classifier.js';
import { register as validate } from './validate.js';
import { register as generate } from './generate.js';
import { register as train } from './train.js';

// One line per subcommand; each module exports `register(program)`.
const registrars: Array<(program: Command) => void> = [
  validate,
  classify,
  trainClassifier,
  plan,
  run,
  analyze,
  table,
  evaluate,
  key,
  slurmTask,
  generate,
  train,
];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
