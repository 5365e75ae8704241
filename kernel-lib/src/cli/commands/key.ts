import type { Command } from 'commander';
import { readMidi } from '../../formats/midi-read.js';
import { detectKeySeed, keyScore, parseKeyName } from '../../metrics/key-seed.js';
import { EXIT_FAILED, UsageError } from '../program.js';

/**
 * `emotune key <midi>... [--expected K] [--json]`: the seed's key for each file (and the expected key's score).
 * A file that cannot be read gets a one-line error naming it; the others still run; exit code 1 then.
 */
export function register(program: Command): void {
  program
    .command('key')
    .description("detect each MIDI file's key with the seed's method (Krumhansl-Kessler cosine over a tick-weighted pitch-class histogram)")
    .argument('<midi...>', 'MIDI files')
    .option('--expected <key>', 'also print the score of this key (e.g. A:min, Bb:maj)')
    .option('--json', 'one JSON line per file: {file, key, score, expected_score}')
    .action(async (files: string[], opts: { expected?: string; json?: boolean }) => {
      let expected: string | undefined;
      if (opts.expected !== undefined) {
        try {
          expected = parseKeyName(opts.expected).name;
        } catch {
          throw new UsageError(`--expected: not a key name: ${JSON.stringify(opts.expected)} (expected <tonic>:maj or <tonic>:min, e.g. A:min or Bb:maj)`);
        }
      }
      let failed = false;
      for (const file of files) {
        try {
          const score = await readMidi(file);
          const det = detectKeySeed(score.notes);
          const expectedScore = expected === undefined ? null : keyScore(det.histogram, expected);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ file, key: det.key, score: det.score, expected_score: expectedScore })}\n`);
          } else {
            const extra = expected === undefined ? '' : `  ${expected} ${expectedScore!.toFixed(4)}`;
            process.stdout.write(`${file}: ${det.key} (score ${det.score.toFixed(4)})${extra}\n`);
          }
        } catch (e) {
          failed = true;
          const msg = ((e as Error)?.message ?? String(e)).split('\n')[0]!;
          process.stderr.write(`emotune key: ${msg.includes(file) ? msg : `${file}: ${msg}`}\n`);
        }
      }
      if (failed) process.exitCode = EXIT_FAILED;
    });
}
