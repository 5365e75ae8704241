import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { renderReportHtml } from '../../display/report.js';
import { modeSummaryRecords, tokenFloorRecords, pairedComparisonRecords } from '../../display/extended-tables.js';
import { tableHtml, tablePayload } from '../../display/table.js';
import { referenceReportSections } from '../../reference/tables.js';
import {
  checkCommands,
  loadContext,
  positiveInt,
  printLines,
  withRunOptions,
  type RunCommandOptions,
} from '../context.js';
import { analyzePhase, comparisonTable, failIfStrict, runExitCode, runPhase, tableFooter } from '../phases.js';
import { failedRunLines, runSucceeded } from '../../run/failure-lines.js';
import { warningsHtml } from '../../display/warnings.js';
import { reportFigureSections } from '../../display/report-figures.js';
import { phaseTimeLine } from '../analysis-lines.js';
import { createMidiPrefetch } from '../../aggregate/midi-prefetch.js';
import { resolveOutDir } from '../../aggregate/analyze-experiment.js';

export const REPORT_FILE = 'report.html';

export function register(program: Command): void {
  withRunOptions(
    program
      .command('evaluate')
      .description('the whole evaluation: plan, run, analyze, print the comparison table, write the HTML report'),
  )
    .option('--report <file>', `HTML report (default: <exp>/${REPORT_FILE})`)
    .option('--strict', 'exit with code 1 when any validity warning is raised (see docs/methodology.md)')
    .action(async (opts: RunCommandOptions & { report?: string; strict?: boolean }) => {
      const ctx = await loadContext(opts.config, { exp: opts.exp });
      // Before any run starts: a generator or classifier that cannot start would waste the whole grid.
      checkCommands(ctx.config, { generator: true, classifier: true });
      const t0 = Date.now();
      // The analysis's reading of each finished run overlaps the generation of the rest.
      const prefetch = createMidiPrefetch();
      const run = await runPhase(ctx, {
        concurrency: positiveInt('--concurrency', opts.concurrency),
        rerunFailed: opts.rerunFailed,
        fresh: opts.fresh,
        lines: opts.lines,
        onRecord: (r) => {
          if (r.returncode === 0) prefetch.warm(resolveOutDir(ctx.config.paths.exp, r.out_dir));
        },
      });
      const generationS = (Date.now() - t0) / 1000;
      printLines([phaseTimeLine('generation', generationS), '']);
      if (run.cancelled) {
        process.exitCode = runExitCode(run);
        return;
      }
      const t1 = Date.now();
      const analysis = await analyzePhase(ctx, ctx.config.paths.exp, run.records, undefined, prefetch);
      const analysisS = (Date.now() - t1) / 1000;
      printLines([phaseTimeLine('analysis', analysisS), '']);
      const table = comparisonTable(ctx, analysis.rows);
      process.stdout.write(table);
      printLines(tableFooter(analysis));
      const reportFile = opts.report ? resolve(opts.report) : join(ctx.config.paths.exp, REPORT_FILE);
      const ok = run.records.filter(runSucceeded).length;
      await writeFileAtomic(
        reportFile,
        renderReportHtml({
          title: `Condition adherence: ${ctx.config.models.map((m) => m.name).join(' vs ')}`,
          comparisonText: table,
          rows: analysis.rows,
          modeRecords: modeSummaryRecords(analysis.extended),
          reference: analysis.extended.reference,
          sections: [
            {
              heading: `Validity warnings (${analysis.extended.warnings.length})`,
              html: warningsHtml(analysis.extended.warnings),
            },
            {
              heading: 'Figures per mode with 95% intervals (songs as the unit: song-level cluster bootstrap)',
              html: tableHtml(tablePayload(modeSummaryRecords(analysis.extended))),
            },
            {
              heading:
                'Token figures against their floors (the same songs scored against requests shuffled within their grid cell; one-sided permutation p, Holm-adjusted over every floor)',
              html: tableHtml(tablePayload(tokenFloorRecords(analysis.extended))),
            },
            {
              heading:
                'Paired mode comparisons over the same grid cells (exact Wilcoxon signed-rank, Holm-adjusted across all tests; BH q beside; the differences carry unadjusted 95% bootstrap intervals, so one may exclude 0 where the adjusted test finds no clear difference: the verdict rests on the adjusted p)',
              html: tableHtml(tablePayload(pairedComparisonRecords(analysis.extended))),
            },
            ...(analysis.extended.reference ? referenceReportSections(analysis.extended.reference) : []),
            ...(await reportFigureSections({
              expDir: ctx.config.paths.exp,
              extended: analysis.extended,
              ...analysis.reports,
            })),
          ],
          facts: [
            ['Config', ctx.config.source_file ?? '(in memory)'],
            ['Experiment folder', ctx.config.paths.exp],
            ['Runs', `${run.records.length} (${ok} succeeded, ${run.records.length - ok} did not)`],
            ['Analysis problems', `${analysis.problems.length} file(s) counted in no figure`],
            [
              'Generation',
              `${generationS.toFixed(2)} s (concurrency ${positiveInt('--concurrency', opts.concurrency) ?? ctx.config.concurrency})`,
            ],
            ['Analysis', `${analysisS.toFixed(2)} s`],
            ['Run metadata', run.metadataFile],
            ['Results', analysis.resultsFile],
            ['Extended results', analysis.extendedFile],
          ],
          failures: failedRunLines(run.records).map((l) => l.trim()),
          problems: analysis.problems.map((p) => `[${p.stage}] ${p.file}: ${p.reason}`),
        }),
      );
      printLines([`Report written to: ${reportFile}`]);
      process.exitCode = runExitCode(run, { allowFailures: opts.allowFailures, problems: analysis.problems });
      failIfStrict(opts.strict, analysis.warnings);
    });
}
