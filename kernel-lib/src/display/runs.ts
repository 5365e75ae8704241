/**
 * One table row per run, and what a click on it shows: the run's conditions, requested versus detected emotion
 * and key, its adherence, its files, and its piano-roll (playable in the extension).
 */
import { basename } from 'node:path';
import { resolveOutDir } from '../aggregate/analyze-experiment.js';
import type { EmotionKeyReport, RunLike, TokenReport } from '../aggregate/rows.js';
import { readMidi } from '../formats/midi-read.js';
import { listMidiFiles } from '../metrics/edge/run-emotion-key.js';
import { QUADRANT_NAMES } from './obey.js';
import { pianoRoll } from './pianoroll.js';
import { publishDisplay } from './sink.js';
import { tableBundle } from './table.js';
import type { MimeBundle, ResultRecord, RowDetail } from './types.js';
import { errorMessage } from '../errors.js';
import { formatPercent } from './format.js';

/** A conditioned value in words: `Note_Duration_960` -> `duration 960 ticks (2 beats at 480 a beat)`. */
export function plainCondition(label: string, ticksPerBeat = 480): string {
  const d = /^Note_Duration_(\d+)$/.exec(label);
  if (d) return `duration ${d[1]} ticks (${+(Number(d[1]) / ticksPerBeat).toFixed(3)} beats)`;
  const v = /^Note_Velocity_(\d+)$/.exec(label);
  if (v) return `velocity ${v[1]}`;
  return label;
}

function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, c]) => (c > 1 ? `${v} ×${c}` : v)).join(', ');
}

export interface RunTableOptions {
  /** The experiment folder (run folders may be relative to it). */
  expDir: string;
  /** Runs with more notes than this get no roll in their detail (keeps the notebook small). Default 4,000. */
  maxRollNotes?: number;
  title?: string;
}

type RunWithConditions = RunLike & { conditions?: Record<string, string>; index?: number };

/** Records (one per analysed run) and their details, in run order. */
export async function runRecords<R extends RunWithConditions>(
  analysis: { tokenReports: readonly TokenReport<R>[]; emotionKeyReports: readonly EmotionKeyReport<R>[] },
  options: RunTableOptions,
): Promise<{ records: ResultRecord[]; details: RowDetail[] }> {
  const tokens = new Map(analysis.tokenReports.map((t) => [t.run.out_dir, t]));
  const records: ResultRecord[] = [];
  const details: RowDetail[] = [];
  for (const report of analysis.emotionKeyReports) {
    const run = report.run;
    const dir = resolveOutDir(options.expDir, run.out_dir);
    const conditions = run.conditions ?? {};
    const detected = (report.emotion_adherence?.predictions ?? []).map((p) => `Q${p.emotion}`);
    const keys = report.key_adherence
      ? Object.entries(report.key_adherence.key_distribution).flatMap(([k, c]) => Array.from({ length: c }, () => k))
      : [];
    const token = tokens.get(run.out_dir);
    const perToken = new Map<string, number[]>();
    for (const f of token?.files ?? [])
      for (const [t, a] of Object.entries(f.adherence))
        perToken.set(t, [...(perToken.get(t) ?? []), a.adherence_ratio]);
    const record: ResultRecord = {
      model: run.model,
      mode: run.mode,
      emotion: `Q${run.emotion}`,
      detected_emotion: tally(detected),
      key: run.key ?? '',
      detected_key: tally(keys),
      condition: Object.values(conditions)
        .map((l) => plainCondition(l))
        .join('; '),
    };
    for (const [t, ratios] of perToken) record[`${t}_adherence`] = ratios.reduce((s, x) => s + x, 0) / ratios.length;
    record['folder'] = basename(dir);
    const midis = await listMidiFiles(dir).catch(() => [] as string[]);
    const facts: Array<[string, string]> = [
      ['model / mode', `${run.model} / ${run.mode}`],
      ['requested emotion', QUADRANT_NAMES[`Q${run.emotion}`] ?? `Q${run.emotion}`],
      ['detected emotion', detected.length ? tally(detected.map((q) => QUADRANT_NAMES[q] ?? q)) : 'not classified'],
    ];
    if (run.key) facts.push(['requested key', run.key], ['detected key', keys.length ? tally(keys) : 'not detected']);
    for (const [t, l] of Object.entries(conditions)) facts.push([`condition: ${t}`, `${plainCondition(l)} (${l})`]);
    for (const [t, ratios] of perToken) facts.push([`${t} adherence`, ratios.map(formatPercent).join(', ')]);
    facts.push(['run folder', dir], ...midis.map((m, i): [string, string] => [`MIDI file ${i + 1}`, m]));
    for (const f of token?.files ?? []) facts.push(['meta file', f.meta]);
    const detail: RowDetail = {
      title: `${run.model} · ${run.mode} · Q${run.emotion}${run.key ? ` · ${run.key}` : ''}${Object.keys(conditions).length ? ` · ${Object.values(conditions).join(', ')}` : ''}`,
      facts,
    };
    const midi = midis[0];
    if (midi) {
      try {
        const score = await readMidi(midi);
        if (score.notes.length <= (options.maxRollNotes ?? 4000)) {
          const roll = pianoRoll(score, {
            title: basename(midi),
            ...(Object.keys(conditions).length ? { highlight: { conditions } } : {}),
          });
          detail.roll = { version: 1, linkedTime: false, rolls: [roll] };
        }
      } catch (e) {
        facts.push(['roll', `not shown: ${errorMessage(e).split('\n')[0]}`]);
      }
    }
    records.push(record);
    details.push(detail);
  }
  return { records, details };
}

/** The runs table: click a row (with the extension) to see and hear that run. */
export async function runsBundle<R extends RunWithConditions>(
  analysis: { tokenReports: readonly TokenReport<R>[]; emotionKeyReports: readonly EmotionKeyReport<R>[] },
  options: RunTableOptions,
): Promise<MimeBundle> {
  const { records, details } = await runRecords(analysis, options);
  return tableBundle(records, {
    title: options.title ?? 'Runs (click a row to see and hear it)',
    details,
    filters: ['model', 'mode', 'emotion', 'key'],
    pinned: ['model', 'mode'],
    descriptions: {
      detected_emotion: "quadrants the emotion classifier detected in the run's files",
      detected_key: "keys detected in the run's files (reference method)",
      condition: 'the conditioned value of this run, in words',
      folder: "the run's output folder",
    },
  });
}

/**
 * One table row per analysed run; clicking a row shows its conditions, requested vs detected emotion and key, adherence, files and a playable roll.
 * @example
 * ```ts
 * await et.showRuns(analysis, { expDir: config.paths.exp });
 * ```
 */
export async function showRuns<R extends RunWithConditions>(
  analysis: { tokenReports: readonly TokenReport<R>[]; emotionKeyReports: readonly EmotionKeyReport<R>[] },
  options: RunTableOptions,
): Promise<void> {
  publishDisplay(await runsBundle(analysis, options));
}
