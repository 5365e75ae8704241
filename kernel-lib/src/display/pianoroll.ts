/**
 * Notes (a MIDI score read by formats/, or note records) to a piano-roll bundle: the emotune piano-roll JSON
 * for the extension, an inline SVG roll for everywhere else, and a one-line summary as text.
 */
import { Midi } from 'tonal';
import { EmotuneError, describeValue } from '../errors.js';
import type { MidiScore } from '../formats/types.js';
import { escapeHtml } from './escape.js';
import { velocityColor } from './format.js';
import { PIANOROLL_MIME } from './types.js';
import type { MimeBundle, NoteTuple, PianoRollPayloadV1, PianoRollV1 } from './types.js';

/** Anything with pitch/start/end/velocity (MidiNote fits), or the tuple form. */
export interface NoteLike {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

export type NoteSource =
  | (Pick<MidiScore, 'ticksPerBeat' | 'notes'> & Partial<Pick<MidiScore, 'timeSignatures' | 'tempos'>>)
  | readonly NoteLike[]
  | readonly NoteTuple[];

/** Which notes to highlight: exact values (duration in ticks), condition labels, or any predicate. */
export type HighlightSpec =
  | { duration?: number; velocity?: number; pitch?: number; label?: string }
  | { conditions: Record<string, string>; label?: string }
  | { predicate: (note: NoteLike) => boolean; label: string };

export interface PianoRollOptions {
  title?: string;
  /** Default: the score's, else 480 (EMOPIA's resolution). */
  ticksPerBeat?: number;
  /** Default: from the score's first time signature, else 4. */
  beatsPerBar?: number;
  highlight?: HighlightSpec;
}

export function pitchName(pitch: number): string {
  return Midi.midiToNoteName(pitch, { sharps: true }) || String(pitch);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function toTuples(notes: readonly unknown[], field: string): NoteTuple[] {
  return notes.map((n, i) => {
    const t: unknown[] = Array.isArray(n)
      ? n
      : n !== null && typeof n === 'object'
        ? [(n as NoteLike).pitch, (n as NoteLike).start, (n as NoteLike).end, (n as NoteLike).velocity]
        : [];
    if (t.length < 4 || !t.slice(0, 4).every(isNumber)) {
      throw new EmotuneError('bad note', {
        field: `${field}[${i}]`,
        expected: '{pitch, start, end, velocity} or [pitch, start, end, velocity] with finite numbers',
        found: describeValue(n),
        code: 'display.note',
      });
    }
    return [t[0], t[1], t[2], t[3]] as NoteTuple;
  });
}

/** Trailing number of a label such as `Note_Duration_1080` (the conditioned value). */
function labelValue(label: string): number | undefined {
  const m = /_(\d+)$/.exec(label);
  return m ? Number(m[1]) : undefined;
}

function highlightOf(spec: HighlightSpec, notes: NoteTuple[]): { label: string; notes: number[] } {
  let test: (n: NoteLike) => boolean;
  let label: string;
  if ('predicate' in spec) {
    test = spec.predicate;
    label = spec.label;
  } else {
    const want: { duration?: number; velocity?: number; pitch?: number } = {};
    if ('conditions' in spec) {
      for (const [token, value] of Object.entries(spec.conditions)) {
        const v = labelValue(value);
        if (v !== undefined && (token === 'duration' || token === 'velocity' || token === 'pitch')) want[token] = v;
      }
    } else {
      if (spec.duration !== undefined) want.duration = spec.duration;
      if (spec.velocity !== undefined) want.velocity = spec.velocity;
      if (spec.pitch !== undefined) want.pitch = spec.pitch;
    }
    const parts = Object.entries(want).map(([k, v]) => `${k} = ${v}`);
    label = spec.label ?? (parts.length ? parts.join(', ') : 'none');
    // Several conditions: a note matches when it has every conditioned value.
    test = (n) =>
      parts.length > 0 &&
      (want.duration === undefined || n.end - n.start === want.duration) &&
      (want.velocity === undefined || n.velocity === want.velocity) &&
      (want.pitch === undefined || n.pitch === want.pitch);
  }
  const idx: number[] = [];
  notes.forEach(([pitch, start, end, velocity], i) => {
    if (test({ pitch, start, end, velocity })) idx.push(i);
  });
  return { label, notes: idx };
}

/** A pitch range that fits the notes with a semitone margin, at least an octave tall. */
export function fitPitchRange(notes: readonly NoteTuple[]): [number, number] {
  if (notes.length === 0) return [54, 66];
  let lo = Math.min(...notes.map((n) => n[0])) - 1;
  let hi = Math.max(...notes.map((n) => n[0])) + 1;
  while (hi - lo < 12) {
    lo -= 1;
    if (hi - lo < 12) hi += 1;
  }
  return [Math.max(0, lo), Math.min(127, hi)];
}

/** One roll's payload from a score or a note list. */
export function pianoRoll(source: NoteSource, options: PianoRollOptions = {}): PianoRollV1 {
  let notes: NoteTuple[];
  let tpb = options.ticksPerBeat;
  let bpb = options.beatsPerBar;
  let tempos: Array<[number, number]> | undefined;
  if (Array.isArray(source)) {
    notes = toTuples(source, 'notes');
  } else if (source !== null && typeof source === 'object' && Array.isArray((source as MidiScore).notes)) {
    const score = source as MidiScore;
    notes = toTuples(score.notes, 'score.notes');
    tpb ??= score.ticksPerBeat;
    const ts = score.timeSignatures?.[0];
    if (ts && bpb === undefined) bpb = (ts.numerator * 4) / ts.denominator;
    const t = (score as Partial<MidiScore>).tempos;
    if (Array.isArray(t) && t.length > 0) tempos = t.filter((x) => x.bpm > 0).map((x) => [x.tick, x.bpm]);
  } else {
    throw new EmotuneError('cannot draw a piano-roll', {
      field: 'notes',
      expected: 'a score with notes or an array of notes',
      found: describeValue(source),
      code: 'display.notes',
    });
  }
  tpb ??= 480;
  bpb ??= 4;
  if (!(tpb > 0) || !(bpb > 0)) {
    throw new EmotuneError('bad time grid', {
      field: 'ticksPerBeat',
      expected: 'ticksPerBeat and beatsPerBar > 0',
      found: `${tpb}, ${bpb}`,
      code: 'display.grid',
    });
  }
  const lastEnd = notes.reduce((m, n) => Math.max(m, n[2]), 0);
  const barTicks = tpb * bpb;
  const roll: PianoRollV1 = {
    ticksPerBeat: tpb,
    beatsPerBar: bpb,
    notes,
    pitchRange: fitPitchRange(notes),
    endTick: Math.max(barTicks, Math.ceil(lastEnd / barTicks) * barTicks),
  };
  if (options.title !== undefined) roll.title = options.title;
  if (tempos && tempos.length > 0) roll.tempos = tempos;
  if (options.highlight) roll.highlight = highlightOf(options.highlight, notes);
  return roll;
}

/** Inline SVG of one roll: beat/bar grid, notes coloured by velocity, highlighted notes outlined. */
export function pianoRollSvg(roll: PianoRollV1, size: { width?: number; height?: number } = {}): string {
  const width = size.width ?? 800;
  const [lo, hi] = roll.pitchRange;
  const rowsN = hi - lo + 1;
  const height = size.height ?? Math.min(400, Math.max(160, rowsN * 8));
  const left = 34;
  // The title has the first line to itself; the legends (condition outline, velocity ramp) the line under it,
  // so a long title never runs into them.
  const legendY = roll.title !== undefined ? 18 : 4;
  const top = legendY + 16;
  const plotW = width - left - 4;
  const plotH = height - top - 14;
  const x = (t: number): number => left + (t / roll.endTick) * plotW;
  const rowH = plotH / rowsN;
  const y = (p: number): number => top + (hi - p) * rowH;
  const parts: string[] = [];
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#ccc"/>`);
  for (let p = lo; p <= hi; p++) {
    if (p % 12 === 0) {
      parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(p) + rowH}" y2="${y(p) + rowH}" stroke="#ddd"/>`);
      parts.push(
        `<text x="${left - 3}" y="${(y(p) + rowH).toFixed(1)}" font-size="9" text-anchor="end" fill="#555">${escapeHtml(pitchName(p))}</text>`,
      );
    }
  }
  const beatsTotal = roll.endTick / roll.ticksPerBeat;
  const bars = Math.ceil(beatsTotal / roll.beatsPerBar - 1e-9);
  // Bar numbers every 1, 2, 4, ... bars so that at most 16 show; beat lines only while they stay readable.
  let step = 1;
  while (bars / step > 16) step *= 2;
  const drawBeats = beatsTotal <= plotW / 12;
  const drawBars = bars <= 64;
  for (let b = 0; b <= beatsTotal; b++) {
    const bar = b / roll.beatsPerBar;
    const isBar = b % roll.beatsPerBar === 0;
    const labelled = isBar && bar % step === 0;
    if (!labelled && !(isBar && drawBars) && !drawBeats) continue;
    const xx = x(b * roll.ticksPerBeat).toFixed(1);
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${top}" y2="${top + plotH}" stroke="${labelled ? '#aaa' : isBar ? '#ccc' : '#eee'}"/>`,
    );
    if (labelled && bar < bars)
      parts.push(
        `<text x="${(Number(xx) + 2).toFixed(1)}" y="${height - 3}" font-size="9" fill="#555">${bar + 1}</text>`,
      );
  }
  const hl = new Set(roll.highlight?.notes ?? []);
  // Per-note tooltips only for small rolls: they would dominate the notebook's size for long ones.
  const tooltips = roll.notes.length <= 500;
  roll.notes.forEach(([pitch, start, end, velocity], i) => {
    const w = Math.max(1, x(end) - x(start));
    const cls = hl.has(i) ? 'emotune-note emotune-note-hl' : 'emotune-note';
    const stroke = hl.has(i) ? ' stroke="#d00" stroke-width="2.5"' : '';
    parts.push(
      `<rect class="${cls}" x="${x(start).toFixed(1)}" y="${y(pitch).toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(1, rowH - 0.5).toFixed(1)}" fill="${velocityColor(velocity)}"${stroke}>${tooltips ? `<title>${escapeHtml(`${pitchName(pitch)} at bar:beat ${barBeat(start, roll)}, ${+((end - start) / roll.ticksPerBeat).toFixed(3)} beats, velocity ${velocity}${hl.has(i) ? ', matches the condition' : ''}`)}</title>` : ''}</rect>`,
    );
  });
  const hlLegend =
    roll.highlight && hl.size > 0
      ? `<rect x="${left}" y="${legendY}" width="14" height="9" fill="none" stroke="#d00" stroke-width="2.5"/><text x="${left + 18}" y="${legendY + 8}" font-size="10" fill="#555">${escapeHtml(`matches the condition: ${roll.highlight.label} (${hl.size})`)}</text>`
      : '';
  const title =
    (roll.title !== undefined
      ? `<text x="${left}" y="13" font-size="12" font-weight="bold" fill="#222">${escapeHtml(roll.title)}</text>`
      : '') + hlLegend;
  // Velocity legend: the colour ramp from 0 to 127, top right.
  const stops = [0, 32, 64, 96, 127]
    .map((v, k) => `<stop offset="${k * 25}%" stop-color="${velocityColor(v)}"/>`)
    .join('');
  const legend =
    `<defs><linearGradient id="emotune-vel">${stops}</linearGradient></defs>` +
    `<text x="${width - 150}" y="${legendY + 8}" font-size="9" text-anchor="end" fill="#555">velocity 0</text>` +
    `<rect x="${width - 146}" y="${legendY}" width="110" height="9" fill="url(#emotune-vel)"/>` +
    `<text x="${width - 32}" y="${legendY + 8}" font-size="9" fill="#555">127</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="emotune-roll" data-emotune-notes="${roll.notes.length}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${title}${legend}${parts.join('')}</svg>`;
}

/** One line per roll: note count, pitch span, length, velocities, highlighted count. */
export function pianoRollText(roll: PianoRollV1): string {
  const n = roll.notes.length;
  const name = roll.title !== undefined ? `Piano-roll "${roll.title}"` : 'Piano-roll';
  if (n === 0) return `${name}: no notes`;
  const pitches = roll.notes.map((x) => x[0]);
  const vels = roll.notes.map((x) => x[3]);
  const beats = roll.endTick / roll.ticksPerBeat;
  let s = `${name}: ${n} notes, ${pitchName(Math.min(...pitches))}–${pitchName(Math.max(...pitches))}, ${beats} beats (${beats / roll.beatsPerBar} bars), velocity ${Math.min(...vels)}–${Math.max(...vels)}`;
  if (roll.highlight) s += `; ${roll.highlight.notes.length} highlighted (${roll.highlight.label})`;
  return s;
}

/** A tick as bar:beat counted from 1 (the extension's hover uses the same notation). */
function barBeat(tick: number, roll: Pick<PianoRollV1, 'ticksPerBeat' | 'beatsPerBar'>): string {
  const beat = tick / roll.ticksPerBeat;
  const bar = Math.floor(beat / roll.beatsPerBar + 1e-9);
  return `${bar + 1}:${+(beat - bar * roll.beatsPerBar + 1).toFixed(3)}`;
}

function bundleOf(payload: PianoRollPayloadV1): MimeBundle {
  const grid = payload.layout === 'grid' && payload.rolls.length > 1;
  const width = grid ? Math.max(260, Math.floor(960 / Math.min(3, payload.rolls.length))) : 900;
  const svgs = payload.rolls.map((r) => pianoRollSvg(r, { width })).join('');
  const heading = payload.title !== undefined ? `<div><b>${escapeHtml(payload.title)}</b></div>` : '';
  const html = `<div class="emotune-rolls" data-emotune-rolls="${payload.rolls.length}">${heading}<div style="display:flex;flex-wrap:wrap;flex-direction:${grid ? 'row' : 'column'};gap:8px">${svgs}</div></div>`;
  const text = [...(payload.title !== undefined ? [payload.title] : []), ...payload.rolls.map(pianoRollText)].join(
    '\n',
  );
  return { data: { [PIANOROLL_MIME]: payload, 'text/html': html, 'text/plain': text }, metadata: {} };
}

/** Bundle for one piano-roll. */
export function pianoRollBundle(source: NoteSource, options: PianoRollOptions = {}): MimeBundle {
  return bundleOf({ version: 1, linkedTime: false, rolls: [pianoRoll(source, options)] });
}

export interface PianoRollItem extends PianoRollOptions {
  notes: NoteSource;
}

/**
 * Several rolls side by side (e.g. one grid cell across modes): the same time span and pitch range in each,
 * so they compare at a glance; the extension links their zoom.
 */
export function pianoRollsBundle(
  items: readonly PianoRollItem[],
  options: { title?: string; layout?: 'stacked' | 'grid' } = {},
): MimeBundle {
  if (!Array.isArray(items) || items.length === 0) {
    throw new EmotuneError('cannot draw piano-rolls', {
      field: 'rolls',
      expected: 'a non-empty array of {notes, title?, highlight?}',
      found: describeValue(items),
      code: 'display.rolls',
    });
  }
  const rolls = items.map((it) => pianoRoll(it.notes, it));
  const endTick = Math.max(...rolls.map((r) => r.endTick));
  const lo = Math.min(...rolls.map((r) => r.pitchRange[0]));
  const hi = Math.max(...rolls.map((r) => r.pitchRange[1]));
  for (const r of rolls) {
    r.endTick = endTick;
    r.pitchRange = [lo, hi];
  }
  const payload: PianoRollPayloadV1 = { version: 1, linkedTime: true, rolls };
  if (options.title !== undefined) payload.title = options.title;
  if (options.layout !== undefined) payload.layout = options.layout;
  return bundleOf(payload);
}
