import { loadConfig, withExperimentFolder, type LoadedConfig } from '../config/load.js';
import { assertCommandRunnable } from '../config/commands.js';
import type { Word2Event } from '../formats/types.js';
import { loadModelVocabularies } from '../vocab/model-vocabularies.js';
import type { Command } from 'commander';
import { UsageError } from './program.js';

export interface EvaluationContext {
  config: LoadedConfig;
  word2eventByModel: Record<string, Word2Event>;
}

/** Load a config and every model's vocabulary: what plan, run, analyze and table all start from. */
export async function loadContext(
  configPath: string | undefined,
  overrides: { exp?: string } = {},
): Promise<EvaluationContext> {
  if (!configPath) throw new UsageError('missing --config <file>');
  const config = withExperimentFolder(await loadConfig(configPath), overrides.exp);
  return { config, word2eventByModel: await loadModelVocabularies(config.models) };
}

/**
 * Stop before any run starts when the generator or the classifier cannot start (program not on PATH, script
 * path wrong). A Slurm generator runs on other machines, after its `setup` lines: not checked here.
 */
export function checkCommands(config: LoadedConfig, which: { generator?: boolean; classifier?: boolean }): void {
  if (which.generator && config.backend !== 'slurm')
    assertCommandRunnable(config.generator.command, config.generator.cwd, 'generator.command', config.source_file);
  if (which.classifier && config.classifier)
    assertCommandRunnable(config.classifier.command, config.classifier.cwd, 'classifier.command', config.source_file);
}

/** Parse a positive integer option; bad values are a usage error naming the option. */
export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${name} expects a whole number >= 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Write lines to stdout (the reference notebook's printed lines). */
export function printLines(lines: Iterable<string>): void {
  for (const l of lines) process.stdout.write(`${l}\n`);
}

/** The options `run` and `evaluate` share: where results go and how the grid is run. */
export function withRunOptions(command: Command): Command {
  return command
    .requiredOption('--config <file>', 'evaluation config (JSON)')
    .option('--exp <dir>', 'experiment folder (overrides paths.exp of the config)')
    .option('--concurrency <n>', 'generator processes at once (default: config, else 1)')
    .option('--rerun-failed', 'retry only the runs whose last attempt failed')
    .option('--fresh', 'ignore earlier records and run everything again')
    .option('--lines', "print the reference notebook's per-run lines instead of a progress bar")
    .option('--allow-failures', 'exit 0 even when runs failed or analysis problems left the results incomplete');
}

export interface RunCommandOptions {
  config: string;
  exp?: string;
  concurrency?: string;
  rerunFailed?: boolean;
  fresh?: boolean;
  lines?: boolean;
  allowFailures?: boolean;
}
