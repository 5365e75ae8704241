import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Word2Event } from '../formats/types.js';
import { loadWord2Event } from '../vocab/word2event.js';
import { UsageError } from './program.js';

export interface EvaluationContext {
  config: LoadedConfig;
  word2eventByModel: Record<string, Word2Event>;
}

/** Load a config and every model's vocabulary: what plan, run, analyze and table all start from. */
export async function loadContext(configPath: string | undefined): Promise<EvaluationContext> {
  if (!configPath) throw new UsageError('missing --config <file>');
  const config = await loadConfig(configPath);
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models) word2eventByModel[m.name] = await loadWord2Event(m.word2event_path);
  return { config, word2eventByModel };
}

/** Parse a positive integer option; bad values are a usage error naming the option. */
export function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} expects a whole number >= 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Write lines to stdout (the seed's printed lines). */
export function printLines(lines: Iterable<string>): void {
  for (const l of lines) process.stdout.write(`${l}\n`);
}
