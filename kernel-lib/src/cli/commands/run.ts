import type { Command } from 'commander';
import { loadContext, positiveInt, withRunOptions, type RunCommandOptions } from '../context.js';
import { runPhase } from '../phases.js';

export function register(program: Command): void {
  withRunOptions(program.command('run').description('run every planned generation (skips runs already complete; Ctrl-C cancels cleanly)'))
    .action(async (opts: RunCommandOptions) => {
      const ctx = await loadContext(opts.config, { exp: opts.exp });
      const result = await runPhase(ctx, { concurrency: positiveInt('--concurrency', opts.concurrency), rerunFailed: opts.rerunFailed, fresh: opts.fresh, lines: opts.lines });
      process.exitCode = result.cancelled ? 130 : 0;
    });
}
