/**
 * Count tables with Witten-Bell interpolation over a chain of contexts (most specific first).
 * A context seen n times with t distinct successors gives P(x) = (c(x) + t * P_next(x)) / (n + t);
 * an unseen context passes its lower level through; the bottom is uniform over the allowed values.
 */

/** One context's successor counts. */
export interface Row {
  counts: Map<number, number>;
  n: number;
  /**
   * `counts` laid out over the last support asked for (generation asks one support per table), with the number
   * of distinct successors: no Map read while mixing.
   */
  dense?: { support: readonly number[]; counts: Float64Array; distinct: number };
}

function denseCounts(row: Row, support: readonly number[]): NonNullable<Row['dense']> {
  if (row.dense?.support === support) return row.dense;
  const counts = new Float64Array(support.length);
  for (const [v, c] of row.counts) {
    const k = support.indexOf(v);
    if (k >= 0) counts[k] = c;
  }
  row.dense = { support, counts, distinct: row.counts.size };
  return row.dense;
}

export class BackoffTable {
  /** levels[i]: context string -> successor counts. */
  readonly levels: Map<string, Row>[];
  /** Counts added so far: a copy of them (ContextIndex) made at another version is stale. */
  version = 0;

  constructor(depth: number) {
    this.levels = Array.from({ length: depth }, () => new Map<string, Row>());
  }

  get depth(): number {
    return this.levels.length;
  }

  add(contexts: readonly string[], value: number, count = 1): void {
    contexts.forEach((ctx, i) => {
      const level = this.levels[i]!;
      let row = level.get(ctx);
      if (!row) {
        row = { counts: new Map(), n: 0 };
        level.set(ctx, row);
      }
      row.counts.set(value, (row.counts.get(value) ?? 0) + count);
      row.n += count;
      row.dense = undefined;
    });
    this.version++;
  }

  /**
   * Probabilities of `support` values (same order) given the chain of contexts; sums to 1 over support
   * only when every counted successor lies in support, which callers ensure or renormalise.
   */
  distribution(contexts: readonly string[], support: readonly number[], backoff = 1): Float64Array {
    const p = new Float64Array(support.length);
    this.mixInto(
      p,
      contexts.map((ctx, i) => this.levels[i]!.get(ctx)),
      support,
      backoff,
    );
    return p;
  }

  /**
   * `distribution` into `p` from the rows of the chain's contexts already looked up (null or undefined: never
   * counted): generation looks rows up by number (ContextIndex) and reuses one buffer per field.
   */
  mixInto(p: Float64Array, rows: readonly (Row | null | undefined)[], support: readonly number[], backoff = 1): void {
    p.set(this.uniformOver(support));
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i];
      if (!row) continue;
      const dense = denseCounts(row, support);
      const t = backoff * dense.distinct;
      const denom = row.n + t;
      const c = dense.counts;
      for (let k = 0; k < support.length; k++) p[k] = (c[k]! + t * p[k]!) / denom;
    }
  }

  /** The bottom of the chain for the last support asked for: copying it gives the values `fill(1 / n)` gives. */
  private uniform?: { support: readonly number[]; p: Float64Array };

  private uniformOver(support: readonly number[]): Float64Array {
    if (this.uniform?.support !== support)
      this.uniform = { support, p: new Float64Array(support.length).fill(1 / support.length) };
    return this.uniform.p;
  }

  /** Plain data, sorted so the same counts always serialise to the same bytes. */
  toJSON(): Array<Array<[string, number[]]>> {
    return this.levels.map((level) =>
      [...level.keys()].sort().map((ctx): [string, number[]] => {
        const counts = level.get(ctx)!.counts;
        const flat: number[] = [];
        for (const v of [...counts.keys()].sort((a, b) => a - b)) flat.push(v, counts.get(v)!);
        return [ctx, flat];
      }),
    );
  }

  static fromJSON(data: unknown, where: string): BackoffTable {
    if (!Array.isArray(data)) throw new Error(`${where}: expected an array of levels`);
    const table = new BackoffTable(data.length);
    data.forEach((level: unknown, i) => {
      if (!Array.isArray(level)) throw new Error(`${where}[${i}]: expected an array of contexts`);
      for (const entry of level as unknown[]) {
        if (
          !Array.isArray(entry) ||
          typeof entry[0] !== 'string' ||
          !Array.isArray(entry[1]) ||
          entry[1].length % 2 !== 0
        ) {
          throw new Error(`${where}[${i}]: expected [context, [value, count, ...]] entries`);
        }
        const flat = entry[1] as unknown[];
        const counts = new Map<number, number>();
        let n = 0;
        for (let k = 0; k < flat.length; k += 2) {
          const v = flat[k];
          const c = flat[k + 1];
          if (!Number.isInteger(v) || !Number.isInteger(c) || (c as number) <= 0)
            throw new Error(`${where}[${i}] "${entry[0]}": counts must be positive integers`);
          counts.set(v as number, c as number);
          n += c as number;
        }
        table.levels[i]!.set(entry[0], { counts, n });
      }
    });
    return table;
  }
}
