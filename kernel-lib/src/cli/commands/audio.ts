import type { Command } from 'commander';
import { writeMidiWav } from '../../audio/render.js';
import { UsageError } from '../program.js';

/** `emotune audio <midi> --out <file.wav> [--rate N]`: the MIDI played on a sampled piano, as a WAV file. */
export function register(program: Command): void {
  program
    .command('audio')
    .description(
      "render a MIDI file to WAV (mono, 16 bit) on a sampled grand piano, offline: the MIDI's length plus a release tail",
    )
    .argument('<midi>', 'MIDI file')
    .requiredOption('--out <file.wav>', 'WAV file to write')
    .option('--rate <hz>', 'sample rate in Hz', '44100')
    .action(async (midi: string, opts: { out: string; rate: string }) => {
      const rate = Number(opts.rate);
      if (!Number.isInteger(rate) || rate < 8000 || rate > 192000)
        throw new UsageError(`--rate: expected an integer from 8000 to 192000 Hz, found ${JSON.stringify(opts.rate)}`);
      if (opts.out.trim() === '') throw new UsageError('--out: expected a file name such as song.wav');
      const t0 = performance.now();
      const audio = await writeMidiWav(midi, opts.out, { sampleRate: rate });
      process.stdout.write(
        `${opts.out}: ${audio.seconds.toFixed(2)} s, ${audio.notes} notes, ${audio.sampleRate} Hz mono 16-bit (rendered in ${((performance.now() - t0) / 1000).toFixed(2)} s)\n`,
      );
    });
}
