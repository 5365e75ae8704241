import { describe, expect, it } from 'vitest';
import {
  NUMBER_FORMATS,
  formatCell,
  formatInterval,
  formatNumber,
  formatP,
  formatPercent,
} from '../../src/display/format.js';

describe('one number format per kind', () => {
  it('percent: one decimal, intervals alike', () => {
    expect(formatNumber(0.46667, NUMBER_FORMATS.percent)).toBe('46.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatInterval([0.4046, 0.5298], NUMBER_FORMATS.percent)).toBe('[40.5%, 53.0%]');
  });

  it('percentage points: signed, one decimal, no "-0.0"', () => {
    expect(formatNumber(20, NUMBER_FORMATS.points)).toBe('+20.0');
    expect(formatNumber(-3.14, NUMBER_FORMATS.points)).toBe('-3.1');
    expect(formatNumber(-0.01, NUMBER_FORMATS.points)).toBe('0.0');
    expect(formatNumber(0, NUMBER_FORMATS.points)).toBe('0.0');
  });

  it('counts as integers, scores as 0.xx', () => {
    expect(formatNumber(240, NUMBER_FORMATS.count)).toBe('240');
    expect(formatNumber(0.54276, NUMBER_FORMATS.score)).toBe('0.54');
  });

  it('an empty number cell (not measured) shows a dash, an empty text cell nothing', () => {
    expect(formatCell(null, { key: 'a', label: 'a', kind: 'number', format: NUMBER_FORMATS.percent })).toBe('–');
    expect(formatCell(null, { key: 'k', label: 'k', kind: 'text' })).toBe('');
  });

  it('p-values never print 0.000; q-values keep their own name', () => {
    expect(formatP(0.0001)).toBe('p < 0.001');
    expect(formatP(0.99, 'q')).toBe('q = 0.99');
    expect(formatP(Number.NaN)).toBe('');
  });
});
