import { existsSync, readFileSync } from 'node:fs';
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

const KINDS = ['ensemble', 'axes-ensemble', 'boosted-trees', 'arousal-valence', 'multinomial'] as const;
type Kind = (typeof KINDS)[number];

export function register(program: Command): void {
  program
    .command('train-classifier')
    .description(
      'train the built-in emotion classifier on an EMOPIA folder (labels.csv + midis/); same data, same file, byte for byte',
    )
    .requiredOption('--data <dir>', 'EMOPIA folder with labels.csv and midis/')
    .requiredOption('--out <file>', 'where to write the model JSON')
    .option('--split <name>', 'labels.csv split to train on', 'train')
    .option(
      '--kind <kind>',
      'ensemble (boosted trees + softmax regression), axes-ensemble (one such ensemble per axis: arousal, valence), boosted-trees, arousal-valence (two logistic heads) or multinomial (softmax regression)',
      'axes-ensemble',
    )
    .option('--l2 <number>', 'logistic regression: L2 penalty on standardised weights (default 0.003)')
    .option(
      '--report <file>',
      'also compare model families by song-grouped cross-validation on --split, evaluate once on --eval-split, and write EVALUATION.md',
    )
    .option('--eval-split <name>', 'split the report evaluates', 'val')
    .action(async (opts: TrainOpts) => {
      if (!(KINDS as readonly string[]).includes(opts.kind)) {
        throw new UsageError(`--kind expects ${KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`);
      }
      const kind = opts.kind as Kind;
      let l2: number | undefined;
      if (opts.l2 !== undefined) {
        l2 = Number(opts.l2);
        if (opts.l2.trim() === '' || !Number.isFinite(l2) || l2 < 0)
          throw new UsageError(`--l2 expects a number >= 0, got ${JSON.stringify(opts.l2)}`);
      }
      const [lib, { evaluateClassifier, loadTrainingExamples }] = await Promise.all([
        import('../../metrics/emotion-builtin/index.js'),
        import('../../metrics/edge/classifier-training.js'),
      ]);
      const options = { split: opts.split, kind, l2 };
      const examples = await loadTrainingExamples(opts.data, opts.split);
      // The report compares the chosen kind with the other families on the same folds; the chosen
      // kind's held-out predictions also fit its temperature, so they are computed once.
      const candidates = opts.report
        ? [
            { label: `${kind} with augmentation (shipped)`, options },
            ...KINDS.filter((k) => k !== kind).map((k) => ({
              label: `${k} with augmentation`,
              options: { ...options, kind: k },
            })),
            { label: `${kind} without augmentation`, options: { ...options, augment: false } },
          ]
        : [];
      const cvs = candidates.map((c) => lib.crossValidate(examples, c.options));
      const model = lib.trainClassifier(examples, {
        ...options,
        dataDescription: lib.trainingCredit(opts.split),
        ...(cvs[0] && kind !== 'arousal-valence' ? { crossValidation: cvs[0] } : {}),
      });
      await writeFileAtomic(opts.out, lib.serializeClassifierModel(model));
      process.stdout.write(
        `wrote ${opts.out} (${model.kind}, ${model.features.length} features, ${model.training.examples} clips)\n`,
      );
      if (opts.report) {
        const evaluation = await evaluateClassifier(opts.data, opts.evalSplit, model);
        const overlap = lib.trainingOverlapWarning(evaluation);
        if (overlap) process.stderr.write(`emotune train-classifier: warning: ${overlap}\n`);
        const args = ['emotune', 'train-classifier', '--data', opts.data, '--out', opts.out];
        if (opts.split !== 'train') args.push('--split', opts.split);
        if (opts.kind !== 'axes-ensemble') args.push('--kind', opts.kind);
        if (opts.l2 !== undefined) args.push('--l2', opts.l2);
        args.push('--report', opts.report);
        if (opts.evalSplit !== 'val') args.push('--eval-split', opts.evalSplit);
        const selection = candidates.map((c, i) => lib.summarizeCrossValidation(c.label, cvs[i]!));
        const previous = existsSync(opts.report) ? readFileSync(opts.report, 'utf8') : undefined;
        await writeFileAtomic(
          opts.report,
          lib.withKeptNotes(lib.evaluationMarkdown(evaluation, model, args.join(' '), selection), previous),
        );
        const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
        process.stdout.write(
          `${opts.evalSplit}: accuracy ${pct(evaluation.accuracy)}, arousal ${pct(evaluation.arousalAccuracy)}, valence ${pct(evaluation.valenceAccuracy)}, ECE ${evaluation.calibration.ece.toFixed(3)} (${evaluation.examples} clips); wrote ${opts.report}\n`,
        );
      }
    });
}
