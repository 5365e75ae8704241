import type { EvaluationConfig } from '../config/types.js';
import { pythonRepr } from '../formats/python-style.js';

const RULE = '='.repeat(70);

/**
 * The reference notebook's configuration banner and run count, line for line.
 * @example
 * ```ts
 * console.log(et.configurationBanner(config, plan.total).join("\n"));
 * ```
 */
export function configurationBanner(
  config: Pick<
    EvaluationConfig,
    'models' | 'modes' | 'tokens_of_interest' | 'emotions' | 'condition_set_sizes' | 'random_seed'
  >,
  totalRuns: number,
): string[] {
  return [
    RULE,
    'COMPREHENSIVE EVALUATION CONFIGURATION',
    RULE,
    `Models: ${pythonRepr(config.models.map((m) => m.name))}`,
    `Modes: ${pythonRepr(config.modes)}`,
    `Tokens of interest: ${pythonRepr(config.tokens_of_interest)}`,
    `Emotions: ${pythonRepr(config.emotions)}`,
    `Condition set sizes: ${pythonRepr(config.condition_set_sizes)}`,
    `Random seed: ${config.random_seed}`,
    RULE,
    '',
    `Total runs to execute: ${totalRuns}`,
    RULE,
    '',
  ];
}
