/**
 * The report's figures beyond the tables: the emotion and key heatmaps, and the rolls (with audio) of the runs
 * that obeyed their condition best and worst. Static HTML, as the notebook's fallbacks draw them.
 */
import type { EmotionKeyReport, RunLike, TokenReport } from '../aggregate/rows.js';
import { readMeta } from '../formats/meta.js';
import { readMidi } from '../formats/midi-read.js';
import type { MidiScore } from '../formats/types.js';
import { errorMessage } from '../errors.js';
import { withAudio } from './audio.js';
import { chartFallbackHtml } from './chart-fallback.js';
import { keyHeatmapFigure } from './charts.js';
import { escapeHtml } from './escape.js';
import { formatPercent } from './format.js';
import { confusionEntries, emotionConfusionFigure } from './obey.js';
import { pianoRollBundle } from './pianoroll.js';
import { plainCondition } from './runs.js';

type Run = RunLike & { conditions?: Record<string, string> };

export interface ReportFigureInput<R extends Run> {
  expDir: string;
  extended?: unknown;
  tokenReports: readonly TokenReport<R>[];
  emotionKeyReports: readonly EmotionKeyReport<R>[];
}

/** One song's token adherence: the share of its steps carrying the requested value of one conditioned token. */
interface SongAdherence<R extends Run> {
  run: R;
  meta: string;
  token: string;
  ratio: number;
}

/**
 * Songs ranked within each conditioned token (tokens differ in base rate: across tokens the best would always
 * be one token and the worst another), the token with the most songs first.
 */
export function rankedSongsByToken<R extends Run>(reports: readonly TokenReport<R>[]): SongAdherence<R>[][] {
  const byToken = new Map<string, SongAdherence<R>[]>();
  for (const t of reports) {
    if (t.run.returncode !== 0) continue;
    for (const f of t.files)
      for (const [token, a] of Object.entries(f.adherence)) {
        if (!Number.isFinite(a.adherence_ratio)) continue;
        const list = byToken.get(token) ?? [];
        list.push({ run: t.run, meta: f.meta, token, ratio: a.adherence_ratio });
        byToken.set(token, list);
      }
  }
  return [...byToken.values()]
    .map((songs) => songs.sort((a, b) => b.ratio - a.ratio))
    .sort((a, b) => b.length - a.length || (a[0]!.token < b[0]!.token ? -1 : 1));
}

async function songRollHtml(song: SongAdherence<Run>, heading: string): Promise<string> {
  const run = song.run;
  let midi: string;
  let score: MidiScore;
  try {
    midi = (await readMeta(song.meta)).paths.midi;
    score = await readMidi(midi);
  } catch (e) {
    // Listed under the analysis problems too; here the reader learns why this roll is missing.
    return `<p>${escapeHtml(`${heading}: no roll (${errorMessage(e)})`)}</p>`;
  }
  const conditions = run.conditions ?? {};
  const bundle = await withAudio(
    pianoRollBundle(score, {
      title: heading,
      ...(Object.keys(conditions).length ? { highlight: { conditions } } : {}),
    }),
  );
  const what = Object.values(conditions)
    .map((l) => plainCondition(l))
    .join('; ');
  return `<p>${escapeHtml(`${run.model} / ${run.mode}, emotion Q${run.emotion}${run.key ? `, key ${run.key}` : ''}${what ? `, condition ${what}` : ''} — ${midi}`)}</p>${String(bundle.data['text/html'] ?? '')}`;
}

/** Sections (heading + HTML) for `renderReportHtml`'s `sections`. */
export async function reportFigureSections<R extends Run>(
  input: ReportFigureInput<R>,
): Promise<Array<{ heading: string; html: string }>> {
  const sections: Array<{ heading: string; html: string }> = [];
  const confusion = confusionEntries(input.extended, input.emotionKeyReports);
  if (confusion.length > 0) {
    sections.push({
      heading:
        'Requested (rows) versus detected (columns) emotion, per model and mode (songs; darker = larger share of the row)',
      html: chartFallbackHtml(emotionConfusionFigure(confusion)),
    });
  }
  const keyRecords = input.emotionKeyReports
    .filter((r) => r.key_adherence && r.run.key)
    .map((r) => ({ key: r.run.key, key_distribution: r.key_adherence!.key_distribution }));
  if (keyRecords.length > 0)
    sections.push({
      heading: 'Requested (rows) versus detected (columns) key (files)',
      html: chartFallbackHtml(keyHeatmapFigure(keyRecords)),
    });
  // Two rolls with audio (each costs a render): the best and worst song of the token with the most songs; the
  // other tokens' best and worst are named in a line.
  const [first, ...others] = rankedSongsByToken(input.tokenReports);
  const rolls: string[] = [];
  const of = (s: SongAdherence<Run>) => `${formatPercent(s.ratio)} of its steps carry the requested ${s.token}`;
  if (first) {
    const best = first[0]!;
    const worst = first[first.length - 1]!;
    rolls.push(await songRollHtml(best, `Best ${best.token} song: ${of(best)}`));
    if (worst !== best) rolls.push(await songRollHtml(worst, `Worst ${worst.token} song: ${of(worst)}`));
    for (const list of others)
      rolls.push(
        `<p>${escapeHtml(`${list[0]!.token}: best song ${formatPercent(list[0]!.ratio)} (${list[0]!.meta}), worst ${formatPercent(list[list.length - 1]!.ratio)} (${list[list.length - 1]!.meta})`)}</p>`,
      );
  }
  if (rolls.some(Boolean))
    sections.push({
      heading: `The songs that obeyed their condition best and worst, ranked within one conditioned token (${first?.[0]?.token ?? ''}: ${first?.length ?? 0} songs; listen, and see the matching notes outlined)`,
      html: rolls.join(''),
    });
  return sections;
}
