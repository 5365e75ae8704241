/**
 * Prints the reference block of an extended results file as Markdown tables (the tables the notebook and the
 * report show), for docs/reference-figures.md:
 *
 *   npx tsx bench/reference-markdown.ts experiments/main/evaluation_results_extended.json
 */
import { readFile } from 'node:fs/promises';
import { referenceTables } from '../kernel-lib/src/reference/tables.js';
import type { ReferenceBlock } from '../kernel-lib/src/reference/block.js';

type Col = { key: string; label?: string; format?: { digits?: number; percent?: boolean } };

function cell(value: unknown, col: Col, ci: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value).replace(/\|/g, '\\|');
  const digits = col.format?.digits ?? 3;
  const show = (v: number) => (col.format?.percent ? `${(100 * v).toFixed(digits)}%` : v.toFixed(digits));
  if (!Number.isFinite(value)) return '–';
  const text = show(value);
  return Array.isArray(ci) && ci.length === 2 ? `${text} [${show(ci[0] as number)}, ${show(ci[1] as number)}]` : text;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/reference-markdown.ts <evaluation_results_extended.json>');
  process.exit(2);
}
const extended = JSON.parse(await readFile(file, 'utf8')) as { reference?: ReferenceBlock };
if (!extended.reference) {
  console.error(`${file}: no reference block (run emotune analyze with this version)`);
  process.exit(1);
}
for (const table of referenceTables(extended.reference)) {
  const cols = table.columns as Col[];
  console.log(`**${table.title}**\n`);
  console.log(`| ${cols.map((c) => c.label ?? c.key).join(' | ')} |`);
  console.log(`| ${cols.map(() => '---').join(' | ')} |`);
  for (const r of table.records) console.log(`| ${cols.map((c) => cell(r[c.key], c, r[`${c.key}_ci`])).join(' | ')} |`);
  console.log('');
}
