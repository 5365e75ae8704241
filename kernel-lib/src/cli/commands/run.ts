import type { Command } from 'commander';
import { checkCommands, loadContext, positiveInt, withRunOptions, type RunCommandOptions } from '../context.js';
import { runExitCode, runPhase } from '../phases.js';

export function register(program: Command): void {
  withRunOptions(
    program
      .command('run')
      .description(
        'run every planned generation (skips runs already complete; Ctrl-C cancels cleanly); exit 1 when a run failed',
      ),
  ).action(async (opts: RunCommandOptions) => {
    const ctx = await loadContext(opts.config, { exp: opts.exp });
    checkCommands(ctx.config, { generator: true });
    const result = await runPhase(ctx, {
      concurrency: positiveInt('--concurrency', opts.concurrency),
      rerunFailed: opts.rerunFailed,
      fresh: opts.fresh,
      lines: opts.lines,
    });
    process.exitCode = runExitCode(result, { allowFailures: opts.allowFailures });
  });
}
