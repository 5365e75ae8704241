import { basename } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { UsageError } from '../program.js';

interface BuildReferenceOpts {
  data: string;
  out: string;
  keys?: string;
  split: string;
  scaleSplit: string;
}

/**
 * `emotune build-reference`: the reference statistics (ceiling, Frechet space and scale, quality values) from
 * an EMOPIA folder, byte for byte the shipped embedded/reference/emopia-val.json for the same data and
 * classifier. Re-run it after the built-in classifier changes.
 */
export function register(program: Command): void {
  program
    .command('build-reference')
    .description(
      'build the real-music reference statistics from an EMOPIA folder (labels.csv + midis/); same data and classifier, same file, byte for byte',
    )
    .requiredOption('--data <dir>', 'EMOPIA folder with labels.csv and midis/')
    .requiredOption(
      '--out <file>',
      'where to write the statistics JSON (kernel-lib/embedded/reference/emopia-val.json is the shipped one)',
    )
    .option('--keys <dir>', 'also measure key detection on pieces with known keys (labels.csv: file,key[,confidence])')
    .option(
      '--split <name>',
      'labels.csv split used as the reference (clips the generator and classifier were not trained on)',
      'val',
    )
    .option('--scale-split <name>', 'split that gives the scales (real music vs the reference)', 'train')
    .action(async (opts: BuildReferenceOpts) => {
      if (opts.split === opts.scaleSplit)
        throw new UsageError(`--split and --scale-split must differ (both ${JSON.stringify(opts.split)})`);
      const { buildReferenceStats } = await import('../../reference/build-stats.js');
      const { serializeReferenceStats } = await import('../../reference/stats-file.js');
      let keys;
      if (opts.keys) {
        const { loadLabelledPieces } = await import('./validate.js');
        keys = { data: basename(opts.keys.replace(/\/+$/, '')), pieces: await loadLabelledPieces(opts.keys) };
      }
      const stats = await buildReferenceStats(opts.data, {
        split: opts.split,
        scaleSplit: opts.scaleSplit,
        keys,
        onWarning: (line) => process.stderr.write(`emotune build-reference: warning: ${line}\n`),
        onClip: process.stderr.isTTY
          ? (done, total) => process.stderr.write(`\rreading clips ${done}/${total}`)
          : undefined,
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      await writeFileAtomic(opts.out, serializeReferenceStats(stats));
      const e = stats.ceiling.emotion.overall;
      process.stdout.write(
        `wrote ${opts.out}: ${stats.source.clips} ${opts.split} clips (${stats.source.songs} songs), classifier agreement ${((100 * e.successes) / e.trials).toFixed(1)}%` +
          `${stats.ceiling.key ? `, key pieces ${stats.ceiling.key.pieces}` : ''}\n`,
      );
    });
}
