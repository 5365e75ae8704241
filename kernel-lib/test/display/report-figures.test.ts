// `emotune evaluate` on a small grid of the embedded generator (real processes): the report carries the emotion
// and key heatmaps, the best and worst songs' rolls with audio players, the token floors, and tables that scroll in
// their own box.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { embeddedConfig, emotune } from '../support/cli-runs.js';
import { rankedSongsByToken } from '../../src/display/report-figures.js';

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
    // The best and worst songs of one token, each the very song whose figure the heading gives.
    expect(html).toMatch(/Best duration song: \d+\.\d% of its steps carry the requested duration/);
    expect(html).toMatch(/Worst duration song: \d+\.\d% of its steps carry the requested duration/);
    expect(html).toMatch(/ranked within one conditioned token \(duration: \d+ songs/);
    expect(html.match(/<audio controls/g)).toHaveLength(2);
    expect(html).toContain('data:audio/wav;base64,');
    expect(html).toMatch(/<div class="emotune-table-box" style="[^"]*overflow:auto/);
    expect(html).toMatch(/th\{[^}]*position:sticky/);
    expect(html).not.toContain('<script');
    // Token figures against their floors, in the report and under the CLI's table (two modes measure duration).
    expect(html).toContain('Token figures against their floors');
    expect(html).toMatch(/floor \(same songs, requests shuffled\)/);
    expect(r.stdout).toMatch(/^Token adherence against its floor /m);
    expect(r.stdout).toMatch(/^ {2}scratch inference-primed: duration \d+\.\d% vs floor \d+\.\d% \(p [=<] /m);
    // The embedded generator judged by the built-in classifier it was tuned with: said in the terminal and the report.
    expect(r.stdout).toMatch(
      /\[tuned-with-classifier\] Emotion adherence of all 3 modes \(scratch inference-deterministic, /,
    );
    expect(html).toContain('tuned-with-classifier');
  }, 300_000);
});

describe('rankedSongsByToken', () => {
  const report = (token: string, ratios: number[], out: string) => ({
    run: { model: 'm', mode: 'primed', emotion: 1, key: null, subset: [token], out_dir: out, returncode: 0 },
    files: ratios.map((r, i) => ({
      meta: `/x/${out}/s${i}.meta.json`,
      num_tokens: 10,
      adherence: { [token]: { adherence_ratio: r } },
    })),
  });

  it('ranks songs within each token (never a duration song against a velocity song), the largest token first', () => {
    const ranked = rankedSongsByToken([
      report('velocity', [0.02, 0.05], 'v'),
      report('duration', [0.1, 0.3, 0.2], 'd'),
      report('velocity', [NaN, 0.01], 'v2'),
    ] as never);
    expect(ranked.map((list) => list.map((s) => [s.token, s.ratio, s.meta.split('/').slice(-2).join('/')]))).toEqual([
      [
        ['duration', 0.3, 'd/s1.meta.json'],
        ['duration', 0.2, 'd/s2.meta.json'],
        ['duration', 0.1, 'd/s0.meta.json'],
      ],
      [
        ['velocity', 0.05, 'v/s1.meta.json'],
        ['velocity', 0.02, 'v/s0.meta.json'],
        ['velocity', 0.01, 'v2/s1.meta.json'],
      ],
    ]);
  });
});
