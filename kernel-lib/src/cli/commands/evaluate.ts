import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { renderReportHtml } from '../../display/report.js';
import { modeSummaryRecords, pairedComparisonRecords } from '../../display/extended-tables.js';
import { tableHtml, tablePayload } from '../../display/table.js';
import { reportFigureSections } from '../../display/report-figures.js';
import { loadContext, positiveInt, printLines, withRunOptions, type RunCommandOptions } from '../context.js';
import { analyzePhase, comparisonTable, runPhase } from '../phases.js';
import { phaseTimeLine } from '../analysis-lines.js';

export const REPORT_FILE = 'report.html';

export function register(program: Command): void {
  withRunOptions(program.command('evaluate').description('the whole evaluation: plan, run, analyze, print the comparison table, write the HTML report'))
    .option('--report <file>', `HTML report (default: <exp>/${REPORT_FILE})`)
    .action(async (opts: RunCommandOptions & { report?: string }) => {
      const ctx = await loadContext(opts.config, { exp: opts.exp });
      const t0 = Date.now();
      const run = await runPhase(ctx, { concurrency: positiveInt('--concurrency', opts.concurrency), rerunFailed: opts.rerunFailed, fresh: opts.fresh, lines: opts.lines });
      const generationS = (Date.now() - t0) / 1000;
      printLines([phaseTimeLine('generation', generationS), '']);
      if (run.cancelled) {
        process.exitCode = 130;
        return;
      }
      const t1 = Date.now();
      const analysis = await analyzePhase(ctx, ctx.config.paths.exp, run.records);
      const analysisS = (Date.now() - t1) / 1000;
      printLines([phaseTimeLine('analysis', analysisS), '']);
      const table = comparisonTable(ctx, analysis.rows);
      process.stdout.write(table);
      const reportFile = opts.report ? resolve(opts.report) : join(ctx.config.paths.exp, REPORT_FILE);
      const ok = run.records.filter((r) => r.returncode === 0 && (r.status ?? 'ok') === 'ok').length;
      await writeFileAtomic(reportFile, renderReportHtml({
        title: `Condition adherence: ${ctx.config.models.map((m) => m.name).join(' vs ')}`,
        comparisonText: table,
        rows: analysis.rows,
        modeRecords: modeSummaryRecords(analysis.extended),
        sections: [
          { heading: 'Figures per mode with 95% intervals (Wilson for ratios, seeded bootstrap for means)', html: tableHtml(tablePayload(modeSummaryRecords(analysis.extended))) },
          { heading: 'Paired mode comparisons over the same grid cells (bootstrap of the mean difference, exact sign test)', html: tableHtml(tablePayload(pairedComparisonRecords(analysis.extended))) },
          ...(await reportFigureSections({ expDir: ctx.config.paths.exp, extended: analysis.extended, ...analysis.reports })),
        ],
        facts: [
          ['Config', ctx.config.source_file ?? '(in memory)'],
          ['Experiment folder', ctx.config.paths.exp],
          ['Runs', `${run.records.length} (${ok} succeeded, ${run.records.length - ok} did not)`],
          ['Generation', `${generationS.toFixed(2)} s (concurrency ${positiveInt('--concurrency', opts.concurrency) ?? ctx.config.concurrency})`],
          ['Analysis', `${analysisS.toFixed(2)} s`],
          ['Run metadata', run.metadataFile],
          ['Results', analysis.resultsFile],
          ['Extended results', analysis.extendedFile],
        ],
        failures: run.records.filter((r) => r.returncode !== 0 || (r.status ?? 'ok') !== 'ok').map((r) => `[${r.index ?? '?'}] ${r.out_dir}: ${r.status ?? 'failed'} ${r.reason ?? `returncode ${r.returncode}`}`),
      }));
      printLines([`Report written to: ${reportFile}`]);
    });
}
