import { parseMidi as parseMidiEvents, type MidiData } from 'midi-file';
import { EmotuneError, throwInputError } from '../errors.js';
import type { KeySignatureChange, MidiNote, MidiScore, TempoChange, TimeSignatureChange } from './types.js';
import { readInputFile } from './read-input.js';

/**
 * MIDI reading with note pairing as pretty_midi does it. The byte layout is checked here first
 * (chunks within the file, events within their track, data bytes < 128) because midi-file reads
 * past ends and can loop on negative lengths in garbage; then midi-file decodes the events.
 */

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/** Where the last `varInt` ended: a module variable rather than a returned pair, since it runs twice per event. */
let varIntEnd = 0;

/** The field an error at event `n` of a track names (built only when there is an error: this runs per event). */
const eventField = (track: number, n: number) => `tracks[${track}].events[${n}]`;

/** Reads a variable-length quantity of at most 4 bytes within [pos, end); its end is left in `varIntEnd`. */
function varInt(b: Uint8Array, pos: number, end: number, file: string | undefined, track: number, n: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    if (pos >= end)
      throwInputError('track ends inside a variable-length number', file, eventField(track, n), 'midi.truncated');
    const byte = b[pos++]!;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      varIntEnd = pos;
      return value;
    }
  }
  throwInputError('variable-length number longer than 4 bytes', file, eventField(track, n), 'midi.bad-event');
}

/** Walks one track's events, checking every length and data byte stays inside the chunk. */
function checkTrack(b: Uint8Array, start: number, end: number, file: string | undefined, track: number): void {
  let pos = start;
  let running: number | null = null;
  let n = 0;
  while (pos < end) {
    varInt(b, pos, end, file, track, n);
    pos = varIntEnd;
    if (pos >= end) throwInputError('track ends after a delta time', file, eventField(track, n), 'midi.truncated');
    const status = b[pos]!;
    if (status === 0xff || status === 0xf0 || status === 0xf7) {
      pos += status === 0xff ? 2 : 1;
      if (pos > end) throwInputError('track ends inside a meta event', file, eventField(track, n), 'midi.truncated');
      const len = varInt(b, pos, end, file, track, n);
      pos = varIntEnd;
      if (pos + len > end)
        throwInputError(
          'event runs past the end of its track',
          file,
          eventField(track, n),
          'midi.truncated',
          `at most ${end - pos} bytes`,
          `${len}`,
        );
      pos += len;
    } else if (status >= 0xf0) {
      throwInputError(
        'unsupported system status byte in a track',
        file,
        eventField(track, n),
        'midi.bad-event',
        'a channel, meta or sysex event',
        `0x${status.toString(16)}`,
      );
    } else {
      let first = pos;
      if (status & 0x80) {
        running = status;
        first = pos + 1;
      } else if (running === null) {
        throwInputError('running status before any status byte', file, eventField(track, n), 'midi.bad-event');
      }
      const kind = running >> 4;
      const count = kind === 0xc || kind === 0xd ? 1 : 2;
      if (first + count > end)
        throwInputError('track ends inside a channel event', file, eventField(track, n), 'midi.truncated');
      for (let i = first; i < first + count; i++) {
        if (b[i]! >= 0x80)
          throwInputError(
            'data byte out of range',
            file,
            eventField(track, n),
            'midi.bad-event',
            '0..127',
            String(b[i]),
          );
      }
      pos = first + count;
    }
    n++;
  }
}

/** Checks the chunk structure and returns a buffer with just MThd and the MTrk chunks midi-file should read. */
function checkChunks(bytes: Uint8Array, file: string | undefined): Uint8Array {
  if (bytes.length < 14 || ascii(bytes, 0) !== 'MThd') {
    throwInputError(
      'not a standard MIDI file',
      file,
      'header',
      'midi.magic',
      'MThd chunk',
      bytes.length < 4 ? `${bytes.length} bytes` : JSON.stringify(ascii(bytes, 0)),
    );
  }
  const headerLen = u32(bytes, 4);
  if (headerLen < 6 || 8 + headerLen > bytes.length)
    throwInputError('bad header chunk length', file, 'header.length', 'midi.bad-header', '6', String(headerLen));
  const format = (bytes[8]! << 8) | bytes[9]!;
  const numTracks = (bytes[10]! << 8) | bytes[11]!;
  const division = (bytes[12]! << 8) | bytes[13]!;
  if (format > 2)
    throwInputError('unknown MIDI format', file, 'header.format', 'midi.bad-header', '0, 1 or 2', String(format));
  if (division & 0x8000)
    throwInputError('SMPTE time division is not supported', file, 'header.division', 'midi.smpte', 'ticks per beat');
  if (division === 0)
    throwInputError('zero ticks per beat', file, 'header.division', 'midi.bad-header', 'a positive number', '0');
  const parts: Uint8Array[] = [bytes.subarray(0, 8 + headerLen)];
  let pos = 8 + headerLen;
  let found = 0;
  while (found < numTracks) {
    if (pos + 8 > bytes.length) {
      throwInputError(
        'file ends before all tracks',
        file,
        `tracks[${found}]`,
        'midi.truncated',
        `${numTracks} tracks`,
        `${found}`,
      );
    }
    const id = ascii(bytes, pos);
    const len = u32(bytes, pos + 4);
    if (pos + 8 + len > bytes.length) {
      throwInputError(
        'chunk runs past the end of the file',
        file,
        `tracks[${found}].length`,
        'midi.truncated',
        `at most ${bytes.length - pos - 8}`,
        String(len),
      );
    }
    if (id === 'MTrk') {
      checkTrack(bytes, pos + 8, pos + 8 + len, file, found);
      parts.push(bytes.subarray(pos, pos + 8 + len));
      found++;
    } else if (!/^[\x20-\x7e]{4}$/.test(id)) {
      throwInputError('bad chunk id', file, `tracks[${found}]`, 'midi.bad-chunk', 'MTrk', JSON.stringify(id));
    } // other printable ids are alien chunks, which the standard says to skip
    pos += 8 + len;
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Longest song accepted, in beats (about 14 hours at 120 bpm; an EMOPIA clip is about 60). A few kilobytes of
 * MIDI can place events billions of ticks apart; per-beat metrics would then loop for minutes or run out of memory.
 */
export const MAX_SONG_BEATS = 100_000;

/**
 * Pair note events of one track as pretty_midi does: a note-off (or note-on with velocity 0) at tick t
 * closes every open note of its (channel, pitch) that did not start at t; notes started at t stay
 * open if some other note was closed, and are dropped otherwise. Notes never closed are dropped.
 */
function pairNotes(events: MidiData['tracks'][number], track: number, notes: MidiNote[]): void {
  // Open notes per channel * 128 + pitch: their start ticks and velocities, in order. Lists are emptied, not
  // dropped, so a pitch played again reuses its arrays (this runs per event; a Map and an object per open
  // note were a third of what an analysis allocated).
  const starts: number[][] = [];
  const velocities: number[][] = [];
  let tick = 0;
  for (let e = 0; e < events.length; e++) {
    const ev = events[e]!;
    tick += ev.deltaTime;
    if (ev.type === 'noteOn' && ev.velocity > 0) {
      const key = ev.channel * 128 + ev.noteNumber;
      (starts[key] ??= []).push(tick);
      (velocities[key] ??= []).push(ev.velocity);
    } else if (ev.type === 'noteOff' || ev.type === 'noteOn') {
      const key = ev.channel * 128 + ev.noteNumber;
      const open = starts[key];
      if (open === undefined || open.length === 0) continue; // a spurious note-off
      const vel = velocities[key]!;
      // Close every open note that began before this tick, in order; one begun at this very tick stays open
      // when another closed (kept in order at the front), and is dropped when none closed.
      let kept = 0;
      for (let i = 0; i < open.length; i++) {
        if (open[i] === tick) {
          open[kept] = tick;
          vel[kept++] = vel[i]!;
          continue;
        }
        notes.push({ pitch: ev.noteNumber, velocity: vel[i]!, start: open[i]!, end: tick, channel: ev.channel, track });
      }
      const closed = open.length - kept;
      open.length = closed > 0 ? kept : 0;
      vel.length = open.length;
    }
  }
}

/**
 * Events already parsed from a buffer (read-only after parsing): an analysis parses each file's bytes for the
 * score and again for muspy's reading (quality metrics); the second parse finds them here. Weak: a buffer's
 * entry goes with the buffer.
 */
const parsedEvents = new WeakMap<Uint8Array, MidiData>();

/**
 * The checked event lists of MIDI bytes (midi-file's records), for readers that pair notes their own way
 * (the muspy reader in metrics/quality). Every problem is an EmotuneError.
 */
export function parseMidiData(bytes: Uint8Array, file?: string): MidiData {
  const known = parsedEvents.get(bytes);
  if (known) return known;
  const checked = checkChunks(bytes, file);
  try {
    const data = parseMidiEvents(checked);
    parsedEvents.set(bytes, data);
    return data;
  } catch (cause) {
    // midi-file throws strings (wrong meta lengths, unknown types); checkChunks catches the rest.
    throw new EmotuneError('cannot parse MIDI events', {
      file,
      field: 'tracks',
      code: 'midi.bad-event',
      found: String(cause instanceof Error ? cause.message : cause),
      cause,
    });
  }
}

/** Parse MIDI bytes into notes (ticks), tempos and signatures. Every problem is an EmotuneError. */
export function parseMidi(bytes: Uint8Array, file?: string): MidiScore {
  const data = parseMidiData(bytes, file);
  const ticksPerBeat = data.header.ticksPerBeat!;
  const notes: MidiNote[] = [];
  const tempos: TempoChange[] = [];
  const timeSignatures: TimeSignatureChange[] = [];
  const keySignatures: KeySignatureChange[] = [];
  let maxTick = 0;
  for (let trackIndex = 0; trackIndex < data.tracks.length; trackIndex++) {
    const events = data.tracks[trackIndex]!;
    let tick = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      tick += ev.deltaTime;
      if (ev.type === 'setTempo') {
        if (ev.microsecondsPerBeat === 0)
          throwInputError(
            'tempo of zero microseconds per beat',
            file,
            `tracks[${trackIndex}].events[${i}]`,
            'midi.bad-tempo',
            'a positive tempo',
            '0',
          );
        tempos.push({ tick, bpm: 60e6 / ev.microsecondsPerBeat });
      } else if (ev.type === 'timeSignature') {
        timeSignatures.push({ tick, numerator: ev.numerator, denominator: ev.denominator });
      } else if (ev.type === 'keySignature') {
        keySignatures.push({ tick, key: ev.key, scale: ev.scale });
      }
    }
    maxTick = Math.max(maxTick, tick);
    pairNotes(events, trackIndex, notes);
  }
  if (maxTick / ticksPerBeat > MAX_SONG_BEATS) {
    throwInputError(
      'song is absurdly long',
      file,
      'tracks',
      'midi.too-long',
      `at most ${MAX_SONG_BEATS} beats`,
      `${Math.round(maxTick / ticksPerBeat)} beats (${maxTick} ticks at ${ticksPerBeat} per beat)`,
    );
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  // Stable sorts keep file order among changes on the same tick.
  tempos.sort((a, b) => a.tick - b.tick);
  timeSignatures.sort((a, b) => a.tick - b.tick);
  keySignatures.sort((a, b) => a.tick - b.tick);
  const drumChannels = notes.some((n) => n.channel === 9) ? [9] : [];
  return { ticksPerBeat, notes, tempos, timeSignatures, keySignatures, drumChannels, maxTick };
}

/**
 * Reads a MIDI file into a score: notes in ticks, tempos, time and key signatures; a bad file is an EmotuneError.
 * @example
 * ```ts
 * const score = await et.readMidi("song.mid");
 * console.log(score.notes.length, score.ticksPerBeat);
 * et.showPianoRoll(score);
 * ```
 */
export async function readMidi(path: string): Promise<MidiScore> {
  const bytes = await readInputFile(path, 'midi');
  return parseMidi(bytes, path);
}
