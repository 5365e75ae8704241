import type { Command } from 'commander';
import { writeFileAtomic } from '../../formats/atomic-write.js';
import { UsageError } from '../program.js';

interface TrainOpts {
  data: string;
  out: string;
  split: string;
  kind: string;
  l2?: string;
  report?: string;
  evalSplit: string;
}

export function register(program: Command): void {
  program
    .command('train-classifier')
    .description('train the built-in emotion classifier on an EMOPIA folder (labels.csv + midis/); same data, same file, byte for byte')
    .requiredOption('--data <dir>', 'EMOPIA folder with labels.csv and midis/')
    .requiredOption('--out <file>', 'where to write the model JSON')
    .option('--split <name>', 'labels.csv split to train on', 'train')
    .option('--kind <kind>', 'arousal-valence (two logistic heads) or multinomial', 'arousal-valence')
    .option('--l2 <number>', 'L2 penalty on standardised weights (default 0.003)')
    .option('--report <file>', 'also evaluate on --eval-split and write the figures as Markdown (EVALUATION.md)')
    .option('--eval-split <name>', 'split the report evaluates', 'val')
    .action(async (opts: TrainOpts) => {
      if (opts.kind !== 'arousal-valence' && opts.kind !== 'multinomial') {
        throw new UsageError(`--kind expects arousal-valence or multinomial, got ${JSON.stringify(opts.kind)}`);
      }
      let l2: number | undefined;
      if (opts.l2 !== undefined) {
        l2 = Number(opts.l2);
        if (opts.l2.trim() === '' || !Number.isFinite(l2) || l2 < 0) throw new UsageError(`--l2 expects a number >= 0, got ${JSON.stringify(opts.l2)}`);
      }
      const lib = await import('../../metrics/emotion-builtin/index.js');
      const model = await lib.trainClassifierFromDir(opts.data, { split: opts.split, kind: opts.kind, l2 });
      await writeFileAtomic(opts.out, lib.serializeClassifierModel(model));
      process.stdout.write(`wrote ${opts.out} (${model.kind}, ${model.features.length} features, ${model.training.examples} clips)\n`);
      if (opts.report) {
        const evaluation = await lib.evaluateClassifier(opts.data, opts.evalSplit, model);
        const args = ['emotune', 'train-classifier', '--data', opts.data, '--out', opts.out];
        if (opts.split !== 'train') args.push('--split', opts.split);
        if (opts.kind !== 'arousal-valence') args.push('--kind', opts.kind);
        if (opts.l2 !== undefined) args.push('--l2', opts.l2);
        args.push('--report', opts.report);
        if (opts.evalSplit !== 'val') args.push('--eval-split', opts.evalSplit);
        await writeFileAtomic(opts.report, lib.evaluationMarkdown(evaluation, model, args.join(' ')));
        const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
        process.stdout.write(
          `${opts.evalSplit}: accuracy ${pct(evaluation.accuracy)}, arousal ${pct(evaluation.arousalAccuracy)}, valence ${pct(evaluation.valenceAccuracy)} (${evaluation.examples} clips); wrote ${opts.report}\n`,
        );
      }
    });
}
