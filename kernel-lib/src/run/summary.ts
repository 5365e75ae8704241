const RULE = '='.repeat(70);

/**
 * The seed's closing summary of the generation phase.
 * @example
 * ```ts
 * console.log(et.runSummaryLines(run.records, run.metadataFile).join("\n"));
 * ```
 */
export function runSummaryLines(records: Array<{ returncode: number }>, metadataFile: string): string[] {
  const ok = records.filter((r) => r.returncode === 0).length;
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
