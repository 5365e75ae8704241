import { ALL_KEYS, formatKey, tryParseKey } from '../../formats/key-names.js';

export interface KeyPair {
  /** The requested (or reference) key, e.g. `A:maj`. */
  reference: string;
  /** The detected key. */
  detected: string;
}

/**
 * Counts of (reference row, detected column); labels are the keys that occur, in the reference notebook's C..B,
 * maj-before-min order.
 */
export interface KeyConfusionMatrix {
  rows: string[];
  columns: string[];
  counts: number[][];
  total: number;
}

function keyOrder(label: string): number {
  const k = tryParseKey(label);
  if (!k) return 1000; // unparseable labels sort last, as written
  return k.tonic * 2 + (k.mode === 'maj' ? 0 : 1);
}

function normalise(label: string): string {
  const k = tryParseKey(label);
  return k ? formatKey(k) : label;
}

/** Requested-versus-detected key matrix; `full` lists all 24 keys on both axes even when unused. */
export function keyConfusionMatrix(pairs: readonly KeyPair[], options: { full?: boolean } = {}): KeyConfusionMatrix {
  const refs = new Set<string>();
  const dets = new Set<string>();
  const norm = pairs.map((p) => ({ r: normalise(p.reference), d: normalise(p.detected) }));
  if (options.full)
    for (const k of ALL_KEYS) {
      refs.add(formatKey(k));
      dets.add(formatKey(k));
    }
  for (const p of norm) {
    refs.add(p.r);
    dets.add(p.d);
  }
  const sort = (s: Set<string>) => [...s].sort((a, b) => keyOrder(a) - keyOrder(b) || (a < b ? -1 : a > b ? 1 : 0));
  const rows = sort(refs);
  const columns = sort(dets);
  const ri = new Map(rows.map((r, i) => [r, i]));
  const ci = new Map(columns.map((c, i) => [c, i]));
  const counts = rows.map(() => columns.map(() => 0));
  for (const p of norm) counts[ri.get(p.r)!]![ci.get(p.d)!]! += 1;
  return { rows, columns, counts, total: norm.length };
}
