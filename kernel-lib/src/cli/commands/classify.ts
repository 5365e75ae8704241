import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('classify')
    .description(
      "predict the EMOPIA emotion quadrant of MIDI files with the built-in classifier (prints what the reference notebook's external classifier prints)",
    )
    .argument('<midi...>', 'MIDI files')
    .option(
      '--json',
      'one JSON object per file and line: file, quadrant, probabilities (Q1..Q4), arousal and valence (P(high)), out_of_range (features outside the training ranges), features',
    )
    .option('--model <file>', 'classifier model JSON (default: the committed model)')
    .action(async (files: string[], opts: { json?: boolean; model?: string }) => {
      // Loaded here, not at start-up: an isolated classifier runs this command once per file or batch.
      const [{ classifyFileWithBuiltin }, { builtinOutputText }, { loadClassifier }] = await Promise.all([
        import('../../metrics/edge/builtin-classify-file.js'),
        import('../../metrics/emotion-command.js'),
        import('../../metrics/edge/classifier-file.js'),
      ]);
      const model = loadClassifier(opts.model); // a bad model file is a usage error (exit 2) for every file
      let failed = false;
      for (const file of files) {
        const r = await classifyFileWithBuiltin(file, model);
        if (r.ok && opts.json) {
          const p = r.prediction;
          const line = {
            file,
            quadrant: p.quadrant,
            probabilities: p.probabilities,
            arousal: p.arousal,
            valence: p.valence,
            out_of_range: p.outOfRange,
            features: p.features,
          };
          process.stdout.write(`${JSON.stringify(line)}\n`);
          continue;
        }
        // The message already names the file; keep going with the others.
        const text = builtinOutputText(r);
        process.stdout.write(text.stdout);
        process.stderr.write(text.stderr);
        if (!r.ok) failed = true;
      }
      if (failed) process.exitCode = 1;
    });
}
