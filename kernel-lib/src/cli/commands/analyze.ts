import type { Command } from 'commander';
import { resolve } from 'node:path';
import { readRunsMetadata, metadataPath } from '../../run/metadata.js';
import { checkCommands, loadContext, printLines } from '../context.js';
import { analyzePhase, comparisonTable, failIfStrict, runExitCode, tableFooter } from '../phases.js';

export function register(program: Command): void {
  program
    .command('analyze')
    .description(
      'measure adherence for an experiment folder (reads all_runs_metadata.json, writes evaluation_results_comprehensive.json)',
    )
    .argument('<exp-dir>', 'experiment folder')
    .requiredOption('--config <file>', 'evaluation config (JSON): vocabularies and the emotion classifier')
    .option('--out <file>', 'results file (default: <exp-dir>/evaluation_results_comprehensive.json)')
    .option('--no-table', 'do not print the comparison table')
    .option('--allow-failures', 'exit 0 even when files could not be analysed')
    .option('--strict', 'exit with code 1 when any validity warning is raised (see docs/methodology.md)')
    .action(
      async (
        expDir: string,
        opts: { config: string; out?: string; table: boolean; allowFailures?: boolean; strict?: boolean },
      ) => {
        const ctx = await loadContext(opts.config);
        checkCommands(ctx.config, { classifier: true });
        const dir = resolve(expDir);
        const runs = await readRunsMetadata(metadataPath(dir));
        const analysis = await analyzePhase(ctx, dir, runs, opts.out ? resolve(opts.out) : undefined);
        if (opts.table) process.stdout.write(comparisonTable(ctx, analysis.rows));
        printLines(tableFooter(analysis));
        // Runs that failed were reported by `run`; here only the files the analysis had to leave out count.
        process.exitCode = runExitCode(
          { records: [], cancelled: false },
          { allowFailures: opts.allowFailures, problems: analysis.problems },
        );
        failIfStrict(opts.strict, analysis.warnings);
      },
    );
}
