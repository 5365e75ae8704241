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
    .option('--json', 'one JSON object per file and line: file, quadrant, probabilities, arousal, valence, features')
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
            process.stdout.write(`${JSON.stringify({ file, quadrant: r.quadrant, probabilities: r.probabilities, arousal: r.arousal, valence: r.valence, features: r.features })}\n`);
          } else {
            process.stdout.write(`${file} is emotion Q${r.quadrant}\n${inferenceLine(r.probabilities)}\n`);
          }
        } catch (e) {
          failed = true;
          // One bad file never ends the batch: a typed error already names the file; anything else gets its name.
          process.stderr.write(`emotune classify: ${isEmotuneError(e) ? e.message : `${file}: ${(e as Error)?.message ?? String(e)}`}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
