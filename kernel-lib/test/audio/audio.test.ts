import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mixPiano,
  renderWav,
  sampleFileName,
  samplePitchFor,
  SAMPLE_PITCHES,
  TAIL_S,
  RELEASE_S,
} from '../../src/audio/index.js';
import type { PianoSample } from '../../src/audio/index.js';
import { writeMidi } from '../../src/formats/midi-write.js';
import { tempDir } from '../helpers.js';
import { cli } from '../support/cli-runs.js';

/** RIFF header fields of a PCM WAV. */
function wavInfo(bytes: Uint8Array): { rate: number; channels: number; bits: number; seconds: number; rms: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RIFF');
  expect(String.fromCharCode(...bytes.subarray(8, 12))).toBe('WAVE');
  let off = 12;
  let rate = 0,
    channels = 0,
    bits = 0,
    dataOff = 0,
    dataLen = 0;
  while (off + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(off, off + 4));
    const len = v.getUint32(off + 4, true);
    if (id === 'fmt ') {
      channels = v.getUint16(off + 10, true);
      rate = v.getUint32(off + 12, true);
      bits = v.getUint16(off + 22, true);
    } else if (id === 'data') {
      dataOff = off + 8;
      dataLen = len;
      break;
    }
    off += 8 + len;
  }
  const n = dataLen / 2;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (v.getInt16(dataOff + 2 * i, true) / 32768) ** 2;
  return { rate, channels, bits, seconds: n / rate, rms: Math.sqrt(sq / Math.max(1, n)) };
}

describe('piano sample map', () => {
  it('names the Salamander files for every sampled pitch and maps each MIDI pitch to the nearest sample', () => {
    expect(sampleFileName(21)).toBe('A0v10.ogg');
    expect(sampleFileName(60)).toBe('C4v10.ogg');
    expect(sampleFileName(63)).toBe('D#4v10.ogg');
    expect(sampleFileName(108)).toBe('C8v10.ogg');
    for (let p = 0; p < 128; p++) {
      const s = samplePitchFor(p);
      expect(SAMPLE_PITCHES).toContain(s);
      if (p >= 21 && p <= 108) expect(Math.abs(s - p)).toBeLessThanOrEqual(1);
    }
  });
});

describe('mixPiano', () => {
  const sine: PianoSample = {
    pitch: 69,
    sampleRate: 1000,
    data: Float32Array.from({ length: 5000 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 1000) * 0.5),
  };
  const samples = new Map([[69, sine]]);

  it('starts each note at its time, stops after note-off plus the release, and normalises the peak to -1 dBFS', () => {
    const { pcm } = mixPiano([{ pitch: 69, velocity: 100, startS: 0.5, endS: 1 }], samples, {
      sampleRate: 1000,
      durationS: 3,
    });
    expect(pcm.length).toBe(3000);
    const loud = (a: number, b: number) => Math.max(...Array.from(pcm.subarray(a, b), Math.abs));
    expect(loud(0, 500)).toBe(0);
    expect(loud(500, 1000)).toBeGreaterThan(0.8);
    expect(loud(500, 3000)).toBeCloseTo(10 ** (-1 / 20), 5);
    expect(loud(1000 + RELEASE_S * 1000 + 1, 3000)).toBe(0);
  });

  it('a louder velocity gives a louder note (before normalisation)', () => {
    const soft = mixPiano([{ pitch: 69, velocity: 30, startS: 0, endS: 1 }], samples, {
      sampleRate: 1000,
      durationS: 2,
      normalize: false,
    }).peak;
    const hard = mixPiano([{ pitch: 69, velocity: 110, startS: 0, endS: 1 }], samples, {
      sampleRate: 1000,
      durationS: 2,
      normalize: false,
    }).peak;
    expect(hard).toBeGreaterThan(soft * 3);
  });
});

describe('renderWav with the packaged piano samples', () => {
  it('renders 44.1 kHz mono 16-bit audio as long as the notes plus the tail, and not silent', async () => {
    // Two bars at 120 BPM = 4 s.
    const notes = [60, 64, 67, 72].map((p, i) => [p, i * 960, i * 960 + 900, 80] as [number, number, number, number]);
    const audio = await renderWav({ ticksPerBeat: 480, notes, tempos: [{ tick: 0, bpm: 120 }] });
    const info = wavInfo(audio.wav);
    expect(info).toMatchObject({ rate: 44100, channels: 1, bits: 16 });
    expect(info.seconds).toBeCloseTo(4 - (60 / 120) * (60 / 480) + TAIL_S, 2);
    expect(info.rms).toBeGreaterThan(0.02);
  });
});

describe('emotune audio (real process)', () => {
  it('writes the WAV of a MIDI file: its length from the tempo map plus the release tail', async () => {
    const dir = tempDir();
    const midi = join(dir, 'song.mid');
    // 8 beats at 90 BPM = 5.333 s.
    await writeMidi(midi, {
      ticksPerBeat: 480,
      tempos: [{ tick: 0, bpm: 90 }],
      notes: Array.from({ length: 8 }, (_, i) => ({
        pitch: 55 + i,
        velocity: 70,
        start: i * 480,
        end: (i + 1) * 480,
        channel: 0,
        track: 0,
      })),
    });
    const out = join(dir, 'song.wav');
    const r = await execa(process.execPath, [cli, 'audio', midi, '--out', out], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/song\.wav: 6\.33 s, 8 notes, 44100 Hz/);
    const info = wavInfo(readFileSync(out));
    expect(info.rate).toBe(44100);
    expect(info.seconds).toBeCloseTo(8 * (60 / 90) + TAIL_S, 2);
    expect(info.rms).toBeGreaterThan(0.02);
  });

  it('a file that is not MIDI gets a one-line error naming it, exit 2, and no WAV', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.mid');
    writeFileSync(bad, 'not a midi file');
    const out = join(dir, 'bad.wav');
    const r = await execa(process.execPath, [cli, 'audio', bad, '--out', out], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.mid');
    expect(() => readFileSync(out)).toThrow();
  });

  it('a bad --rate is a usage error', async () => {
    const r = await execa(process.execPath, [cli, 'audio', 'x.mid', '--out', '/tmp/x.wav', '--rate', 'fast'], {
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--rate/);
  });
});
