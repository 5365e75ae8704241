import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../../formats/atomic-write.js';
import { convertToWord2Event } from '../../vocab/convert.js';
import { printLines } from '../context.js';

export function register(program: Command): void {
  const vocab = program.command('vocab').description('vocabulary tools');
  vocab
    .command('convert')
    .description('write the word2event of a dictionary.pkl (numpy integers too, no Python needed) as JSON')
    .argument('<dictionary>', 'dictionary.pkl ((event2word, word2event) pickle) or word2event JSON')
    .requiredOption('--out <file>', 'the word2event JSON to write')
    .action(async (input: string, opts: { out: string }) => {
      const out = resolve(opts.out);
      const w2e = await convertToWord2Event(resolve(input), opts.out);
      await writeJsonAtomic(out, w2e, 1);
      const types = Object.keys(w2e);
      printLines([
        `wrote ${out}: ${types.length} token types (${types.join(', ')})`,
        `use it as "word2event_path": ${JSON.stringify(opts.out)} in the config`,
      ]);
    });
  vocab.exitOverride();
  for (const c of vocab.commands) c.exitOverride();
}
