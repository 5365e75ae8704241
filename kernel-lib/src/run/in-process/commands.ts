import { availableParallelism } from 'node:os';
import type { ClassifierConfig, GeneratorConfig } from '../../config/types.js';
import { MIDIS_PLACEHOLDER } from '../../config/classifier-placeholders.js';

/** `emotune generate ...` with any options: the embedded generator's code, whatever checkpoint it loads. */
export function isBuiltinGeneratorCommand(command: readonly string[]): boolean {
  return command[0] === 'emotune' && command[1] === 'generate';
}

/** `["emotune", "generate"]`: this package's embedded generator, exactly (extra arguments mean a process). */
export function isEmbeddedGenerator(command: readonly string[]): boolean {
  return command.length === 2 && isBuiltinGeneratorCommand(command);
}

/** `["emotune", "classify", "{midi}"]` (or `{midis}`): the built-in classifier with its committed model. */
export function isEmbeddedClassifier(command: readonly string[]): boolean {
  return (
    command.length === 3 &&
    command[0] === 'emotune' &&
    command[1] === 'classify' &&
    (command[2] === '{midi}' || command[2] === MIDIS_PLACEHOLDER)
  );
}

/**
 * `emotune classify ...` without `--model`: the built-in classifier with the committed model (the one the embedded
 * generator was tuned with), however it is run.
 */
export function isCommittedClassifierCommand(command: readonly string[]): boolean {
  return isBuiltinClassifierCommand(command) && !command.some((a) => a === '--model' || a.startsWith('--model='));
}

/**
 * `emotune classify ...` with any options (another model file, say): the built-in classifier, whose feature set
 * and training ranges the analysis can use, whether or not it runs in this process.
 */
export function isBuiltinClassifierCommand(command: readonly string[]): boolean {
  return command[0] === 'emotune' && command[1] === 'classify';
}

/** The generator runs in worker threads of this process (unless the config asks to isolate it). */
export function generatorRunsInProcess(g: Pick<GeneratorConfig, 'command' | 'isolate'>): boolean {
  return g.isolate !== true && isEmbeddedGenerator(g.command);
}

/** The classifier runs in worker threads of this process (unless the config asks to isolate it). */
export function classifierRunsInProcess(c: Pick<ClassifierConfig, 'command' | 'isolate'>): boolean {
  return c.isolate !== true && isEmbeddedClassifier(c.command);
}

/** Worker threads for `wanted` tasks at once: never more than the machine's cores. */
export function poolSize(wanted: number): number {
  return Math.max(1, Math.min(Math.floor(wanted), availableParallelism()));
}
