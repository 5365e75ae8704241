/** The reference notebook's section headers and counters around the analysis and aggregation cells, line for line. */
const RULE = '='.repeat(70);

export function analysisHeader(): string[] {
  return [RULE, 'ADHERENCE ANALYSIS (with distance metrics)', RULE, ''];
}

export function tokenAnalysisSummary(tokenReports: number): string[] {
  return [
    `Analyzed token adherence for ${tokenReports} successful runs`,
    '',
    RULE,
    'EMOTION AND KEY ADHERENCE ANALYSIS',
    RULE,
    '',
  ];
}

export function emotionKeySummary(reports: number): string[] {
  return ['', `Analyzed emotion/key for ${reports} runs`, ''];
}

export function aggregationLines(resultsFile: string, rows: number): string[] {
  return [
    RULE,
    'AGGREGATING RESULTS: COMPARISON ACROSS INFERENCE MODES',
    RULE,
    '',
    `Results saved to: ${resultsFile}`,
    `Total result rows: ${rows}`,
    '',
  ];
}

/**
 * The phase timings on the console, in English (the notebook keeps the reference notebook's Spanish lines: see
 * referencePhaseTimeLine).
 */
export function phaseTimeLine(phase: 'generation' | 'analysis', seconds: number): string {
  return phase === 'generation'
    ? `Total generation time: ${seconds.toFixed(2)} s`
    : `Total adherence analysis time: ${seconds.toFixed(2)} s`;
}

/** The reference notebook's phase timings, in Spanish as it prints them (for outputs compared with it line for line). */
export function referencePhaseTimeLine(phase: 'generation' | 'analysis', seconds: number): string {
  return phase === 'generation'
    ? `Tiempo total de evaluación: ${seconds.toFixed(2)} segundos`
    : `Tiempo total de análisis de adherencia: ${seconds.toFixed(2)} segundos`;
}
