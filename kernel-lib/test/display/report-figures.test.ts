// `emotune evaluate` on a small grid of the embedded generator (real processes): the report carries the emotion
// and key heatmaps, the best and worst runs' rolls with audio players, and tables that scroll in their own box.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';

const cli = join(repoRoot, 'kernel-lib', 'dist', 'cli', 'main.js');
const embedded = join(repoRoot, 'kernel-lib', 'embedded');

describe('the HTML report', () => {
  it('has heatmaps, best and worst rolls with audio, and boxed tables with sticky headers', async () => {
    const dir = tempDir();
    const config = JSON.parse(readFileSync(join(embedded, 'config.json'), 'utf8'));
    config.paths = { dataset_root: join(embedded, 'dataset'), transformer: embedded, exp: join(dir, 'exp') };
    config.models = config.models
      .slice(0, 1)
      .map((m: { word2event_path: string }) => ({ ...m, word2event_path: join(embedded, m.word2event_path) }));
    Object.assign(config, { emotions: [1, 4], keys: ['A:maj'], tokens_of_interest: ['duration'] });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const r = await execa(process.execPath, [cli, 'evaluate', '--config', join(dir, 'config.json'), '--lines'], {
      reject: false,
    });
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
