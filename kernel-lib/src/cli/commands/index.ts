import type { Command } from 'commander';

type Registrar = (program: Command) => void;

/**
 * Subcommand name -> its module. Modules load on demand: `emotune generate` and `emotune classify` run once
 * per run or per MIDI file during an evaluation, so each process loads only the command it runs.
 */
const commands: Record<string, () => Promise<{ register: Registrar }>> = {
  plan: () => import('./plan.js'),
  run: () => import('./run.js'),
  analyze: () => import('./analyze.js'),
  table: () => import('./table.js'),
  evaluate: () => import('./evaluate.js'),
  key: () => import('./key.js'),
  generate: () => import('./generate.js'),
  train: () => import('./train.js'),
  classify: () => import('./classify.js'),
  'train-classifier': () => import('./train-classifier.js'),
  validate: () => import('./validate.js'),
  'build-reference': () => import('./build-reference.js'),
  audio: () => import('./audio.js'),
  'slurm-task': () => import('./slurm-task.js'),
  doctor: () => import('./doctor.js'),
  vocab: () => import('./vocab.js'),
};

export const commandNames: readonly string[] = Object.keys(commands);

/** Register the named subcommand only, or all of them (for help and unknown names). */
export async function registerCommands(program: Command, only?: string): Promise<void> {
  const names = only !== undefined && Object.hasOwn(commands, only) ? [only] : commandNames;
  for (const name of names) (await commands[name]!()).register(program);
}
