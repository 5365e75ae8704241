import type { Command } from 'commander';
import { TRAINING_KEY_METHOD, trainEmbeddedModels } from '../../generate/embedded/train.js';
import { detectKeyWith } from '../../metrics/key-methods/methods.js';
import { UsageError } from '../program.js';

/** `emotune train --data <emopia dir> --out <dir> [--seed N] [--val]`: rebuild the embedded generator's model files. */
export function register(program: Command): void {
  program
    .command('train')
    .description(
      'train the embedded CP n-gram models (scratch: key-aware, pretrained: no key) on the train split of an EMOPIA folder',
    )
    .requiredOption('--data <dir>', 'EMOPIA folder with labels.csv, midis/ and co-representation/dictionary.pkl')
    .requiredOption('--out <dir>', 'output folder; files go to <out>/checkpoints/loss_{8,pre}_params.json')
    .option('--seed <n>', 'recorded in the model files (counting uses no randomness)', '0')
    .option('--val', 'also report log-likelihood per CP step on the val split')
    .option('--limit <n>', 'use only the first n training clips (sorted by file name)')
    .allowExcessArguments(false)
    .action(async (opts: { data: string; out: string; seed: string; val?: boolean; limit?: string }) => {
      if (!/^\d+$/.test(opts.seed))
        throw new UsageError(`--seed: expected a non-negative integer, found ${JSON.stringify(opts.seed)}`);
      if (opts.limit !== undefined && !/^[1-9]\d*$/.test(opts.limit))
        throw new UsageError(`--limit: expected a positive integer, found ${JSON.stringify(opts.limit)}`);
      const t0 = performance.now();
      const result = await trainEmbeddedModels({
        dataDir: opts.data,
        outDir: opts.out,
        seed: Number(opts.seed),
        // Not the reference notebook's detector (kk-cosine), which scores key adherence: the model must not learn its
        // scorer.
        keyFinder: (notes) => detectKeyWith(TRAINING_KEY_METHOD, notes),
        limit: opts.limit === undefined ? undefined : Number(opts.limit),
        validate: opts.val === true,
      });
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(
        `trained on ${result.clips} clip(s) in ${secs} s: ${result.files.scratch}, ${result.files.pretrained}\n`,
      );
      if (result.val) {
        for (const [name, v] of Object.entries(result.val)) {
          process.stdout.write(
            `val ${name}: ${v.logLikPerStep.toFixed(4)} nats per CP step (perplexity ${v.perplexity.toFixed(1)}) over ${v.steps} steps\n`,
          );
        }
      }
    });
}
