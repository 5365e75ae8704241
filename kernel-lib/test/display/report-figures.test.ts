// `emotune evaluate` on a small grid of the embedded generator (real processes): the report carries the emotion
// and key heatmaps, the best and worst runs' rolls with audio players, and tables that scroll in their own box.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { embeddedConfig, emotune } from '../support/cli-runs.js';

describe('the HTML report', () => {
  it('has heatmaps, best and worst rolls with audio, and boxed tables with sticky headers', async () => {
    const dir = tempDir();
    const config = embeddedConfig(
      join(dir, 'exp'),
      { emotions: [1, 4], keys: ['A:maj'], tokens_of_interest: ['duration'] },
      ['scratch'],
    );
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const r = await emotune(['evaluate', '--config', join(dir, 'config.json'), '--lines']);
    expect(r.exitCode, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'exp', 'report.html'), 'utf8');
    expect(html).toContain('Requested (rows) versus detected (columns) emotion');
    // One emotion heatmap per mode (3) and the key heatmap.
    expect(html.match(/<table class="emotune-heatmap">/g)?.length).toBe(4);
    expect(html).toMatch(/Best run: \d+\.\d% token adherence/);
    expect(html).toMatch(/Worst run: \d+\.\d% token adherence/);
    expect(html.match(/<audio controls/g)).toHaveLength(2);
    expect(html).toContain('data:audio/wav;base64,');
    expect(html).toMatch(/<div class="emotune-table-box" style="[^"]*overflow:auto/);
    expect(html).toMatch(/th\{[^}]*position:sticky/);
    expect(html).not.toContain('<script');
  }, 300_000);
});
