import { escapeHtml } from '../display/escape.js';
import { tableHtml, tablePayload } from '../display/table.js';
import type { TableColumn, ResultRecord } from '../display/types.js';
import { NUMBER_FORMATS } from '../display/format.js';
import type { Figure } from '../aggregate/extended-results.js';
import type { ReferenceBlock } from './block.js';

/**
 * Plain tables of the reference block (for the report and the notebook): every emotion and key figure beside
 * its ceiling and floor, per quadrant, the confusion matrices, and the distances with their scales.
 */

export interface ReferenceTable {
  title: string;
  records: ResultRecord[];
  columns: Array<Partial<TableColumn> & { key: string }>;
}

type Column = Partial<TableColumn> & { key: string };
const text = (key: string, label = key.replace(/_/g, ' ')): Column => ({ key, label, kind: 'text' });
const pct = (key: string, label: string, heat = false): Column => ({
  key,
  label,
  kind: 'number',
  format: NUMBER_FORMATS.percent,
  ...(heat ? { heat: true, better: 'up' as const } : {}),
});
/** Kappa and the MIREX weighted score: scores, 0.xx like every score in the tables. */
const score = (key: string, label: string, better?: 'up'): Column => ({
  key,
  label,
  kind: 'number',
  format: NUMBER_FORMATS.score,
  ...(better ? { better } : {}),
});
const num = (key: string, label: string, digits = 3, better?: 'up' | 'down'): Column => ({
  key,
  label,
  kind: 'number',
  format: { digits },
  ...(better ? { better } : {}),
});

/** The (model, mode, quadrant) columns of a per-quadrant entry. */
const cellOf = (e: { model: string; mode: string; quadrant: number }): ResultRecord => ({
  model: e.model,
  mode: e.mode,
  quadrant: `Q${e.quadrant}`,
});

/** What a ceiling row measures, and over how many songs its interval resamples (n counts their clips). */
const emotionData = (f: Figure): string =>
  f.method === 'cluster-bootstrap'
    ? `built-in classifier vs true quadrant (interval: ${f.n} songs)`
    : 'built-in classifier vs true quadrant';

/** `key` and `key_ci` from a figure with its interval (none when undefined). */
function withCi(key: string, f: Figure | undefined): ResultRecord {
  if (!f || !Number.isFinite(f.estimate)) return { [key]: null };
  return Number.isFinite(f.lower) && Number.isFinite(f.upper)
    ? { [key]: f.estimate, [`${key}_ci`]: [f.lower, f.upper] }
    : { [key]: f.estimate };
}

/**
 * The reference block as titled tables: each generated figure beside the real-music ceiling and floor.
 * @example
 * ```ts
 * for (const t of et.referenceTables(reference)) et.showTable(t.records, { title: t.title, columns: t.columns });
 * ```
 */
export function referenceTables(ref: ReferenceBlock): ReferenceTable[] {
  const ce = ref.ceiling.emotion;
  const tables: ReferenceTable[] = [];

  tables.push({
    title: `Ceiling: the same measurement on real music (emotion: ${ref.source.dataset} ${ref.source.split} split, ${ref.source.clips} clips from ${ref.source.songs} songs${ref.ceiling.key ? `; key: the key finder on ${ref.ceiling.key.pieces} pieces with known keys, another population than the generated songs, so a guide to the finder rather than a ceiling` : ''})`,
    // Agreement rates in percent; kappa and the MIREX weighted score are not rates: their own column, as numbers.
    columns: [
      text('measure'),
      pct('value', 'value'),
      score('score', 'score (κ, MIREX)'),
      {
        key: 'n',
        label: 'n',
        kind: 'number',
        format: { digits: 0 },
        description: 'clips (emotion) or pieces (key) measured; an emotion interval resamples the songs they come from',
      },
      text('data'),
    ],
    records: [
      {
        measure: 'emotion (4 quadrants)',
        ...withCi('value', ce.overall),
        n: ce.overall.trials,
        data: emotionData(ce.overall),
      },
      ...ce.per_quadrant.map((q) => ({
        measure: `emotion Q${q.quadrant}`,
        ...withCi('value', q),
        n: q.trials,
        data: emotionData(q),
      })),
      {
        measure: 'arousal',
        ...withCi('value', ce.arousal),
        n: ce.arousal.trials,
        data: emotionData(ce.arousal),
      },
      {
        measure: 'valence',
        ...withCi('value', ce.valence),
        n: ce.valence.trials,
        data: emotionData(ce.valence),
      },
      {
        measure: "Cohen's kappa (emotion)",
        score: ce.kappa,
        n: ce.overall.trials,
        data: 'built-in classifier vs true quadrant',
      },
      ...(ref.ceiling.key?.methods ?? []).flatMap((m) => [
        {
          measure: `key exact (${m.method})`,
          ...withCi('value', m.accuracy),
          n: m.accuracy.n,
          data: `${ref.ceiling.key!.pieces} pieces with known keys: another population, not a ceiling`,
        },
        {
          measure: `key MIREX (${m.method})`,
          score: m.mirex,
          n: m.accuracy.n,
          data: `${ref.ceiling.key!.pieces} pieces with known keys: another population, not a ceiling`,
        },
      ]),
    ],
  });

  tables.push({
    title:
      'Emotion adherence with its ceiling and floor (floor: chance, and the label-shuffled baseline of the same songs); arousal and valence separately',
    columns: [
      text('model'),
      text('mode'),
      { key: 'songs', label: 'songs', kind: 'number', format: { digits: 0 } },
      pct('emotion', 'emotion', true),
      pct('emotion_ceiling', 'ceiling'),
      pct('emotion_shuffled', 'shuffled'),
      pct('emotion_chance', 'chance'),
      score('kappa', "Cohen's κ", 'up'),
      pct('arousal', 'arousal', true),
      pct('arousal_ceiling', 'ceiling'),
      pct('arousal_shuffled', 'shuffled'),
      pct('valence', 'valence', true),
      pct('valence_ceiling', 'ceiling'),
      pct('valence_shuffled', 'shuffled'),
    ],
    records: ref.adherence.map((a) => ({
      model: a.model,
      mode: a.mode,
      songs: a.classified,
      ...withCi('emotion', a.emotion),
      emotion_ceiling: ce.overall.estimate,
      emotion_shuffled: a.shuffled.emotion?.mean ?? null,
      emotion_chance: ref.floor.emotion_chance,
      kappa: Number.isFinite(a.kappa.kappa) ? a.kappa.kappa : null,
      ...withCi('arousal', a.arousal),
      arousal_ceiling: ce.arousal.estimate,
      arousal_shuffled: a.shuffled.arousal?.mean ?? null,
      ...withCi('valence', a.valence),
      valence_ceiling: ce.valence.estimate,
      valence_shuffled: a.shuffled.valence?.mean ?? null,
    })),
  });

  tables.push({
    title:
      "Emotion adherence per requested quadrant, beside the ceiling for that quadrant and its floor (shuffled: the share of the mode's songs detected as that quadrant, what ignoring the request would reach, since the classifier favours some quadrants; chance 25%)",
    columns: [
      text('model'),
      text('mode'),
      text('quadrant'),
      pct('adherence', 'adherence', true),
      pct('ceiling', 'ceiling'),
      pct('shuffled', 'shuffled'),
      pct('chance', 'chance'),
      { key: 'songs', label: 'songs', kind: 'number', format: { digits: 0 } },
    ],
    records: ref.adherence.flatMap((a) =>
      a.per_quadrant.map((q) => ({
        model: a.model,
        mode: a.mode,
        quadrant: `Q${q.quadrant}`,
        ...withCi('adherence', q.adherence),
        ceiling: q.ceiling,
        // Absent from results files written before it was added.
        shuffled: q.shuffled ?? null,
        chance: q.chance,
        songs: q.adherence.n,
      })),
    ),
  });

  const keyed = ref.adherence.filter((a) => a.key !== null);
  if (keyed.length > 0) {
    const methods = ref.ceiling.key?.methods ?? [];
    const ceilingOf = (i: number) => methods[i];
    tables.push({
      title:
        "Key adherence beside the key finder's accuracy on pieces with known keys (another population: not a ceiling, generated songs may score above it) and the floor (chance; requested keys shuffled among the songs)",
      columns: [
        text('model'),
        text('mode'),
        { key: 'songs', label: 'songs', kind: 'number', format: { digits: 0 } },
        pct('key_seed', 'key (reference method)', true),
        pct('key_seed_ceiling', 'finder on known keys'),
        pct('key_seed_shuffled', 'shuffled'),
        pct('key_chance', 'chance'),
        pct('key_best', 'key (recommended)', true),
        pct('key_best_ceiling', 'finder on known keys'),
        pct('key_best_shuffled', 'shuffled'),
        score('mirex_seed', 'MIREX (reference method)', 'up'),
        score('mirex_seed_ceiling', 'finder on known keys'),
        score('mirex_chance', 'chance'),
      ],
      records: keyed.map((a) => {
        const k = a.key!;
        return {
          model: a.model,
          mode: a.mode,
          songs: k.seed.n,
          ...withCi('key_seed', k.seed),
          key_seed_ceiling: ceilingOf(0)?.accuracy.estimate ?? null,
          key_seed_shuffled: k.shuffled_seed?.mean ?? null,
          key_chance: k.chance_exact,
          ...withCi('key_best', k.best),
          key_best_ceiling: ceilingOf(1)?.accuracy.estimate ?? null,
          key_best_shuffled: k.shuffled_best?.mean ?? null,
          mirex_seed: k.mirex_seed,
          mirex_seed_ceiling: ceilingOf(0)?.mirex ?? null,
          mirex_chance: k.chance_mirex,
        };
      }),
    });
  }

  tables.push({
    title: 'Confusion matrices: requested (rows) x detected (columns) quadrant, songs per model and mode',
    columns: [
      text('model'),
      text('mode'),
      text('requested'),
      ...['Q1', 'Q2', 'Q3', 'Q4'].map((q) => ({
        key: q,
        label: `→ ${q}`,
        kind: 'number' as const,
        format: { digits: 0 },
      })),
    ],
    records: ref.confusion.flatMap((c) =>
      c.counts.map((row, i) => ({
        model: c.model,
        mode: c.mode,
        requested: c.labels[i],
        ...Object.fromEntries(row.map((v, j) => [c.labels[j]!, v])),
      })),
    ),
  });

  tables.push({
    title:
      "Frechet distance to the real reference in the built-in classifier's feature space, per requested quadrant; scale = real training-split clips of that quadrant at the same set size (ratio ≈ 1: as far as other real music)",
    columns: [
      text('model'),
      text('mode'),
      text('quadrant'),
      { key: 'n', label: 'songs', kind: 'number', format: { digits: 0 } },
      num('frechet', 'Frechet', 2, 'down'),
      num('scale', 'real-music scale', 2),
      num('ratio', 'ratio', 2, 'down'),
    ],
    records: ref.distances.frechet.map((f) => ({
      ...cellOf(f),
      n: f.n,
      frechet: f.distance,
      ...(f.scale ? { scale: f.scale.mean, scale_ci: [f.scale.lower, f.scale.upper] } : { scale: null }),
      ratio: f.ratio,
    })),
  });

  tables.push({
    title:
      'Quality metrics against real music (Yang & Lerch 2020): overlapping area (1 = as real) and KL divergence (0 = as real) of intra-reference vs generated-to-reference distances; real-music level = training-split clips in place of the generated songs',
    columns: [
      text('model'),
      text('mode'),
      text('quadrant'),
      text('metric'),
      num('generated_mean', 'generated mean'),
      num('reference_mean', 'reference mean'),
      num('overlap_area', 'overlap area', 3, 'up'),
      num('overlap_real', 'real-music level'),
      num('kl', 'KL', 3, 'down'),
      num('kl_real', 'real-music level'),
    ],
    records: ref.distances.quality.map((q) => ({
      ...cellOf(q),
      metric: q.metric,
      generated_mean: q.generated_mean,
      reference_mean: q.reference_mean,
      overlap_area: q.overlap_area,
      overlap_real: q.scale?.overlap_area ?? null,
      kl: q.kl_divergence,
      kl_real: q.scale?.kl_divergence ?? null,
    })),
  });
  return tables;
}

/**
 * The reference tables as report sections (static HTML tables), with the block's notes first when there are any.
 * @example
 * ```ts
 * const html = et.renderReportHtml({ title: "Adherence", comparisonText: text, rows: analysis.rows, facts: [], sections: et.referenceReportSections(reference) });
 * ```
 */
export function referenceReportSections(ref: ReferenceBlock): Array<{ heading: string; html: string }> {
  const notes = ref.notes.length > 0 ? `<p><strong>${ref.notes.map(escapeHtml).join('<br>')}</strong></p>` : '';
  return referenceTables(ref).map((t, i) => ({
    heading: t.title,
    html: (i === 0 ? notes : '') + tableHtml(tablePayload(t.records, { columns: t.columns })),
  }));
}
