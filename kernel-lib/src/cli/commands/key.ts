import type { Command } from 'commander';
import { readMidi } from '../../formats/midi-read.js';
import { normaliseKeyName } from '../../formats/key-names.js';
import { detectKeyReference, keyScore } from '../../metrics/key-reference.js';
import { detectKeyWith, isReferenceMethodAlias, keyMethod, keyMethodNames } from '../../metrics/key-methods/methods.js';
import { EXIT_FAILED, UsageError } from '../program.js';
import { errorMessage } from '../../errors.js';

/**
 * `emotune key <midi>... [--expected K] [--json]`: the reference notebook's key for each file (and the expected key's
 * score). A file that cannot be read gets a one-line error naming it; the others still run; exit code 1 then.
 */
export function register(program: Command): void {
  program
    .command('key')
    .description(
      "detect each MIDI file's key with the reference notebook's method (Krumhansl-Kessler cosine over a tick-weighted pitch-class histogram)",
    )
    .argument('<midi...>', 'MIDI files')
    .option('--expected <key>', 'also print the score of this key (e.g. A:min, Bb:maj)')
    .option('--json', 'one JSON line per file: {file, key, score, expected_score}')
    .option(
      '--method <name>',
      `key-finding method: reference (default, the reference notebook's method, for parity), best (recommended by docs/validation.md), or one of ${keyMethodNames.filter((n) => n !== 'reference' && n !== 'best').join(', ')}`,
      'reference',
    )
    .action(async (files: string[], opts: { expected?: string; json?: boolean; method: string }) => {
      try {
        keyMethod(opts.method);
      } catch {
        throw new UsageError(
          `--method: unknown method ${JSON.stringify(opts.method)} (choose from ${keyMethodNames.join(', ')})`,
        );
      }
      const referenceMethod = isReferenceMethodAlias(opts.method);
      let expected: string | undefined;
      if (opts.expected !== undefined) {
        try {
          expected = normaliseKeyName(opts.expected);
        } catch {
          throw new UsageError(
            `--expected: not a key name: ${JSON.stringify(opts.expected)} (expected <tonic>:maj or <tonic>:min, e.g. A:min or Bb:maj)`,
          );
        }
      }
      let failed = false;
      for (const file of files) {
        try {
          const score = await readMidi(file);
          // The reference notebook's method keeps its own code path: it is what parity is checked against.
          const det = referenceMethod ? detectKeyReference(score.notes) : detectKeyWith(opts.method, score.notes);
          const expectedScore =
            expected === undefined
              ? null
              : referenceMethod
                ? keyScore((det as ReturnType<typeof detectKeyReference>).histogram, expected)
                : (det.scores[expected] ?? null);
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ file, key: det.key, score: det.score, expected_score: expectedScore, ...(referenceMethod ? {} : { method: (det as { method: string }).method }) })}\n`,
            );
          } else {
            const extra =
              expected === undefined || expectedScore === null ? '' : `  ${expected} ${expectedScore.toFixed(4)}`;
            process.stdout.write(`${file}: ${det.key} (score ${det.score.toFixed(4)})${extra}\n`);
          }
        } catch (e) {
          failed = true;
          const msg = errorMessage(e).split('\n')[0]!;
          process.stderr.write(`emotune key: ${msg.includes(file) ? msg : `${file}: ${msg}`}\n`);
        }
      }
      if (failed) process.exitCode = EXIT_FAILED;
    });
}
