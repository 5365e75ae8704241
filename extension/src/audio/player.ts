/**
 * Plays a piano-roll in the browser with Web Audio: the bundled piano samples (decoded by the browser) mixed
 * by kernel-lib's pure mixer — the same sound as the kernel's WAV — into one AudioBuffer, started on the audio
 * clock; the playhead reads that clock. One roll plays at a time on the page.
 */
import { mixPiano, sampleNeeds, secondsAt, soundingNotes, TAIL_S } from '@emotune/kernel-lib/audio-browser';
import type { PianoSample } from '@emotune/kernel-lib/audio-browser';
import type { PianoRollV1 } from '@emotune/kernel-lib/display-types';

let context: AudioContext | null = null;
const decoded = new Map<number, Promise<PianoSample>>();

function audioContext(): AudioContext {
  context ??= new AudioContext();
  return context;
}

async function loadSample(ctx: AudioContext, pitch: number): Promise<PianoSample> {
  let p = decoded.get(pitch);
  if (!p) {
    p = (async () => {
      const { SAMPLE_URLS } = await import('./sample-urls.js');
      const url = SAMPLE_URLS.get(pitch);
      if (url === undefined) throw new Error(`no piano sample for pitch ${pitch}`);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`piano sample ${url}: HTTP ${res.status}`);
      const buf = await ctx.decodeAudioData(await res.arrayBuffer());
      const data = new Float32Array(buf.length);
      for (let c = 0; c < buf.numberOfChannels; c++) {
        const ch = buf.getChannelData(c);
        for (let i = 0; i < ch.length; i++) data[i] = (data[i] as number) + (ch[i] as number) / buf.numberOfChannels;
      }
      return { pitch, sampleRate: buf.sampleRate, data };
    })();
    decoded.set(pitch, p);
    p.catch(() => decoded.delete(pitch));
  }
  return p;
}

/** The tempo map of a roll as seconds <-> ticks. */
export function rollClock(roll: Pick<PianoRollV1, 'ticksPerBeat' | 'tempos'>): {
  seconds(tick: number): number;
  tick(seconds: number): number;
} {
  const tempos = (roll.tempos ?? []).map(([tick, bpm]) => ({ tick, bpm }));
  const seconds = secondsAt(roll.ticksPerBeat, tempos);
  return {
    seconds,
    // Inverse of a monotonic map by bisection: exact enough for a playhead (1/1000 of a tick).
    tick(s: number): number {
      let lo = 0;
      let hi = roll.ticksPerBeat;
      while (seconds(hi) < s) hi *= 2;
      for (let i = 0; i < 60 && hi - lo > 1e-3; i++) {
        const mid = (lo + hi) / 2;
        if (seconds(mid) < s) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    },
  };
}

/** Mixed audio of a roll at the context's rate (its notes from tick 0, the roll's length plus the tail). */
export async function rollBuffer(ctx: BaseAudioContext, roll: PianoRollV1): Promise<AudioBuffer> {
  const clock = rollClock(roll);
  const notes = soundingNotes(roll.notes, clock.seconds);
  const samples = new Map<number, PianoSample>();
  await Promise.all(
    [...sampleNeeds(notes).keys()].map(async (p) => samples.set(p, await loadSample(ctx as AudioContext, p))),
  );
  const durationS = clock.seconds(roll.endTick) + TAIL_S;
  const { pcm } = mixPiano(notes, samples, { sampleRate: ctx.sampleRate, durationS });
  const buffer = ctx.createBuffer(1, pcm.length, ctx.sampleRate);
  buffer.getChannelData(0).set(pcm);
  return buffer;
}

export interface Playback {
  /** Current position in ticks, or null once stopped/ended. */
  positionTick(): number | null;
  stop(): void;
  readonly ended: Promise<void>;
}

let current: Playback | null = null;

/** Start a roll (stopping whatever plays); resolves once the audio is scheduled. */
export async function playRoll(roll: PianoRollV1): Promise<Playback> {
  current?.stop();
  const ctx = audioContext();
  if (ctx.state === 'suspended') await ctx.resume();
  const buffer = await rollBuffer(ctx, roll);
  const clock = rollClock(roll);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  const t0 = ctx.currentTime + 0.05;
  source.start(t0);
  let stopped = false;
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  source.onended = () => {
    stopped = true;
    resolveEnded();
  };
  const playback: Playback = {
    positionTick: () => (stopped ? null : clock.tick(Math.max(0, ctx.currentTime - t0))),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        source.stop();
      } catch {
        // already stopped
      }
      resolveEnded();
    },
    ended,
  };
  current = playback;
  return playback;
}
