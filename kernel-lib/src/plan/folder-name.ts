import { createHash } from 'node:crypto';

/**
 * `{first 3 letters of token}{last _-separated part of value}` joined by `_`, or `none` (the reference notebook's
 * cond_str).
 */
export function conditionLabel(conditions: Record<string, string>): string {
  const entries = Object.entries(conditions);
  if (entries.length === 0) return 'none';
  return entries.map(([k, v]) => `${k.slice(0, 3)}${v.split('_').at(-1)}`).join('_');
}

/** Longest folder prefix kept as is; file systems refuse names over 255 bytes. */
const MAX_PREFIX = 200;

/**
 * `{model}_{mode}_{subset}_emo{E}[_key{Amaj}]_{cond}_` — the folder name before the stamp. Labels come from a
 * vocabulary file: path separators and NUL in them become `_` (a label such as `../../x` must not leave the
 * experiment folder), and an over-long name is cut and made unique with a hash. Ordinary labels are untouched.
 */
export function outDirPrefix(r: {
  model: string;
  mode: string;
  subset: string[];
  emotion: number;
  key: string | null;
  conditions: Record<string, string>;
}): string {
  const subsetLabel = r.subset.length > 0 ? r.subset.join('_') : 'unconditional';
  const keyPart = r.key ? `_key${r.key.replace(':', '')}` : '';
  const name = `${r.model}_${r.mode}_${subsetLabel}_emo${r.emotion}${keyPart}_${conditionLabel(r.conditions)}_`.replace(
    /[/\\\0]/g,
    '_',
  );
  if (Buffer.byteLength(name) <= MAX_PREFIX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${Buffer.from(name)
    .subarray(0, MAX_PREFIX - 10)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}-${hash}_`;
}

/** The reference notebook's stamp: `datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S%f')[:19]` (100 µs resolution). */
export function referenceStamp(date: Date, extraMicros = 0): string {
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  const micros = date.getUTCMilliseconds() * 1000 + extraMicros;
  return `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1, 2)}${p(date.getUTCDate(), 2)}-${p(date.getUTCHours(), 2)}${p(date.getUTCMinutes(), 2)}${p(date.getUTCSeconds(), 2)}${p(micros, 6)}`.slice(
    0,
    19,
  );
}

/** A stable short id of a grid cell: the same cell gets the same id in every plan. */
export function runId(r: {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  conditions: Record<string, string>;
}): string {
  const canonical = JSON.stringify([r.model, r.mode, r.emotion, r.key, r.subset, Object.entries(r.conditions)]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 10);
}
