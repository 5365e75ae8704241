import type { Command } from 'commander';
import { printLines } from '../context.js';
import { formatDoctorReport } from '../doctor/checklist.js';
import { runDoctor } from '../doctor/run-doctor.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check a setup before a long grid: config, paths, vocabularies, commands, one real run per model and mode, the classifier; exit 0 only when everything passes',
    )
    .requiredOption('--config <file>', 'evaluation config (JSON)')
    .option('--json', 'print the checklist as JSON (for CI)')
    .option('--keep', 'keep the test runs folder even when everything passed')
    .action(async (opts: { config: string; json?: boolean; keep?: boolean }) => {
      const report = await runDoctor(opts.config, { keep: opts.keep });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printLines(formatDoctorReport(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
