/**
 * The report's figures beyond the tables: the emotion and key heatmaps, and the rolls (with audio) of the runs
 * that obeyed their condition best and worst. Static HTML, as the notebook's fallbacks draw them.
 */
import { resolveOutDir } from '../aggregate/analyze-experiment.js';
import type { EmotionKeyReport, RunLike, TokenReport } from '../aggregate/rows.js';
import { readMidi } from '../formats/midi-read.js';
import { listMidiFiles } from '../metrics/edge/run-emotion-key.js';
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

/** Mean token adherence of a run over its files and conditioned tokens. */
function runAdherence(t: TokenReport): number | undefined {
  const r = t.files.flatMap((f) => Object.values(f.adherence).map((a) => a.adherence_ratio));
  return r.length ? r.reduce((s, x) => s + x, 0) / r.length : undefined;
}

async function runRollHtml(run: Run, expDir: string, heading: string): Promise<string | undefined> {
  const midi = (await listMidiFiles(resolveOutDir(expDir, run.out_dir)).catch(() => [] as string[]))[0];
  if (!midi) return undefined;
  const conditions = run.conditions ?? {};
  const bundle = await withAudio(
    pianoRollBundle(await readMidi(midi), {
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
  const ranked = input.tokenReports
    .filter((t) => t.run.returncode === 0)
    .map((t) => ({ run: t.run, adherence: runAdherence(t as TokenReport) }))
    .filter((x): x is { run: R; adherence: number } => x.adherence !== undefined)
    .sort((a, b) => b.adherence - a.adherence);
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  const rolls: string[] = [];
  if (best)
    rolls.push(
      (await runRollHtml(best.run, input.expDir, `Best run: ${formatPercent(best.adherence)} token adherence`)) ?? '',
    );
  if (worst && worst !== best)
    rolls.push(
      (await runRollHtml(worst.run, input.expDir, `Worst run: ${formatPercent(worst.adherence)} token adherence`)) ??
        '',
    );
  if (rolls.some(Boolean))
    sections.push({
      heading: 'The runs that obeyed their condition best and worst (listen, and see the matching notes outlined)',
      html: rolls.join(''),
    });
  return sections;
}
