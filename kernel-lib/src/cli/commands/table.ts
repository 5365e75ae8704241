import type { Command } from 'commander';
import { readResultsFile } from '../../aggregate/rows.js';
import { loadContext } from '../context.js';
import { comparisonTable } from '../phases.js';

export function register(program: Command): void {
  program
    .command('table')
    .description("print the reference notebook's comparison table (averages per model and mode) from a results file")
    .argument('<results.json>', 'evaluation_results_comprehensive.json')
    .requiredOption('--config <file>', 'evaluation config (JSON): models, modes and tokens in order')
    .action(async (file: string, opts: { config: string }) => {
      const ctx = await loadContext(opts.config);
      process.stdout.write(comparisonTable(ctx, await readResultsFile(file)));
    });
}
