import type { Command } from 'commander';
import { isEmotuneError } from '../../errors.js';

/** Probabilities printed as numpy prints an array: space separated inside brackets. */
function inferenceLine(probabilities: readonly number[]): string {
  return `Inference values: [${probabilities.map((p) => p.toFixed(6)).join(' ')}]`;
}

export function register(program: Command): void {
  program
    .command('classify')
    .description('predict the EMOPIA emotion quadrant of MIDI files with the built-in classifier (prints what the seed\'s external classifier prints)')
    .argument('<midi...>', 'MIDI files')
    .option('--json', 'one JSON object per file and line: file, quadrant, probabilities (Q1..Q4), arousal and valence (P(high)), out_of_range (features outside the training ranges), features')
    .option('--model <file>', 'classifier model JSON (default: the committed model)')
    .action(async (files: string[], opts: { json?: boolean; model?: string }) => {
      // Loaded here, not at start-up: the main job runs this command once per generated file.
      const [{ readMidi }, { classifyMidi, loadClassifier }] = await Promise.all([
        import('../../formats/midi-read.js'),
        import('../../metrics/emotion-builtin/index.js'),
      ]);
      const model = loadClassifier(opts.model); // a bad model file is a usage error (exit 2) for every file
      let failed = false;
      for (const file of files) {
        try {
          const r = classifyMidi(await readMidi(file), model, file);
          if (opts.json) {
            const line = { file, quadrant: r.quadrant, probabilities: r.probabilities, arousal: r.arousal, valence: r.valence, out_of_range: r.outOfRange, features: r.features };
            process.stdout.write(`${JSON.stringify(line)}\n`);
          } else {
            process.stdout.write(`${file} is emotion Q${r.quadrant}\n${inferenceLine(r.probabilities)}\n`);
          }
        } catch (e) {
          failed = true;
          // One bad file never ends the batch: name it and keep going with the others. An EmotuneError's
          // message already names the file; anything else (a bug, a resource limit) gets the name added.
          const message = isEmotuneError(e) ? e.message : `${file}: cannot classify: ${(e as Error)?.message ?? String(e)}`;
          process.stderr.write(`emotune classify: ${message}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
