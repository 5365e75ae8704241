/**
 * How many cases a fuzzer or property test runs. `npm test` (CI, the README) runs the full count; `npm run test:unit`
 * sets EMOTUNE_PROPERTY_SCALE=0.25 for a quick check. With the tests' fixed seeds the cases of a smaller run are the
 * first ones of the full run, so a failure found by the quick check is found by the full run too.
 */
export function propertyRuns(full: number, min = 100): number {
  const raw = process.env.EMOTUNE_PROPERTY_SCALE;
  const scale = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!(scale > 0 && scale <= 1)) throw new Error(`EMOTUNE_PROPERTY_SCALE: expected a number in (0, 1], got ${raw}`);
  return Math.max(Math.min(min, full), Math.round(full * scale));
}
