import { runSucceeded } from './failure-lines.js';

const RULE = '='.repeat(70);

/**
 * The reference notebook's closing summary of the generation phase. "Successful" counts runs with valid outputs only
 * (the reference notebook counted exit code 0; a run that exits 0 without its outputs is not a success).
 * @example
 * ```ts
 * console.log(et.runSummaryLines(run.records, run.metadataFile).join("\n"));
 * ```
 */
export function runSummaryLines(
  records: Array<{ returncode: number; status?: string }>,
  metadataFile: string,
): string[] {
  const ok = records.filter(runSucceeded).length;
  return [
    '',
    RULE,
    `EVALUATION COMPLETE: ${records.length} total runs`,
    RULE,
    `Successful: ${ok}/${records.length}`,
    `Failed: ${records.length - ok}/${records.length}`,
    '',
    `Run metadata saved to: ${metadataFile}`,
    '',
  ];
}
