import type { Command } from 'commander';
import { loadContext, positiveInt } from '../context.js';
import { runPhase } from '../phases.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run every planned generation (skips runs already complete; Ctrl-C cancels cleanly)')
    .requiredOption('--config <file>', 'evaluation config (JSON)')
    .option('--exp <dir>', 'experiment folder (overrides paths.exp of the config)')
    .option('--concurrency <n>', 'generator processes at once (default: config, else 1)')
    .option('--rerun-failed', 'retry only the runs whose last attempt failed')
    .option('--fresh', 'ignore earlier records and run everything again')
    .option('--lines', "print the seed's per-run lines instead of a progress bar")
    .action(async (opts: { config: string; exp?: string; concurrency?: string; rerunFailed?: boolean; fresh?: boolean; lines?: boolean }) => {
      const ctx = await loadContext(opts.config, { exp: opts.exp });
      const result = await runPhase(ctx, { concurrency: positiveInt('--concurrency', opts.concurrency), rerunFailed: opts.rerunFailed, fresh: opts.fresh, lines: opts.lines });
      process.exitCode = result.cancelled ? 130 : 0;
    });
}
