#!/usr/bin/env python3
"""The reference notebook's analysis in Python: token adherence, emotion/key adherence, aggregation and the comparison table.

Written from the reference notebook (`evaluation-notebook.txt`: the ADHERENCE ANALYSIS, AGGREGATE RESULTS and
DISPLAY RESULTS cells, kept as close to the reference notebook's code as possible) and from docs/architecture.md's "Reference semantics"
for the two helpers the notebook imports but does not show (`compute_adherence`, `compute_emotion_key_adherence`).
It is the reference the TypeScript port is compared with (kernel-lib/test/aggregate/parity-python.test.ts).
Needs numpy and mido (Debian: python3-numpy python3-mido); run with /usr/bin/python3.

Usage: reference_analysis.py --config CONFIG.json --exp EXP_DIR [--out rows.json] [--table table.txt] [--lines lines.txt]
Paths in the config are relative to the config's folder; the classifier runs there (or in classifier.cwd).
`out_dir` in all_runs_metadata.json may be absolute or relative to EXP_DIR; `paths` in a .meta.json may be
absolute or relative to the meta file's folder.
"""
import argparse
import json
import os
import pickle
import re
import subprocess
import sys
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_key import detect, histogram, key_score, read_notes  # noqa: E402

NUMERIC_LABEL = re.compile(r'_([0-9]+)$')


def numeric_value(label):
    if not isinstance(label, str):
        return None
    m = NUMERIC_LABEL.search(label)
    return int(m.group(1)) if m else None


def compute_adherence(tokens, conditions, token_order, word2event):
    """docs/architecture.md: per conditioned token, ratio of steps equal to the target index; distances for numeric labels."""
    results = {}
    for token_name, target_idx in conditions.items():
        if token_name not in token_order:
            continue  # no column for this token: nothing to measure
        if word2event is None:
            raise ValueError('no word2event vocabulary for this model')
        col = token_order.index(token_name)
        column = tokens[:, col]
        total = int(column.shape[0])
        matches = int(np.sum(column == target_idx))
        labels = word2event.get(token_name, {})
        target_label = labels.get(str(target_idx))
        target_num = numeric_value(target_label)
        stats = {
            'adherence_ratio': matches / total,
            'matches': matches,
            'total': total,
            'target_index': target_idx,
            'target_label': target_label,
            'is_numeric': target_num is not None,
        }
        if target_num is not None:
            nums = [numeric_value(labels.get(str(int(v)))) for v in column]
            dists = np.array([abs(target_num - n) for n in nums if n is not None], dtype=np.float64)
            if dists.size:
                stats['mean_distance'] = float(np.mean(dists))
                stats['median_distance'] = float(np.median(dists))
                stats['min_distance'] = float(np.min(dists))
                stats['max_distance'] = float(np.max(dists))
                stats['std_distance'] = float(np.std(dists))
                stats['num_numeric'] = int(dists.size)
        results[token_name] = stats
    return results


EMO_RE = re.compile(r'is emotion Q(\d+)')
VALS_RE = re.compile(r'Inference values:\s*\[([^\]]*)\]')


def classify(command, cwd, timeout, midi):
    argv = [midi if a == '{midi}' else a.replace('{midi}', midi) for a in command]
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    m = EMO_RE.search(proc.stdout)
    v = VALS_RE.search(proc.stdout)
    if not m or not v:
        return None
    try:
        [float(x) for x in re.split(r'[\s,]+', v.group(1)) if x]
    except ValueError:
        return None
    return int(m.group(1))


def normalise_key(k):
    if not re.match(r'^[A-G][#b]?:(maj|min)$', k):
        raise ValueError(f'not a key name: {k!r}')
    tonic, mode = k.split(':')
    flats = {'Db': 'C#', 'Eb': 'D#', 'Gb': 'F#', 'Ab': 'G#', 'Bb': 'A#', 'Cb': 'B', 'Fb': 'E', 'E#': 'F', 'B#': 'C'}
    return f'{flats.get(tonic, tonic)}:{mode}'


def compute_emotion_key_adherence(out_dir, emotion, key, classifier):
    mids = sorted(f for f in os.listdir(out_dir) if f.endswith('.mid'))
    results = {'num_files': len(mids)}
    emo = {'matches': 0, 'total': 0}
    for f in mids:
        if classifier is None:
            break
        q = classify(classifier['command'], classifier['cwd'], classifier['timeout_s'], os.path.join(out_dir, f))
        if q is None:
            continue
        emo['total'] += 1
        emo['matches'] += int(q == emotion)
    if emo['total']:
        emo['adherence_ratio'] = emo['matches'] / emo['total']
    results['emotion'] = emo
    if key:
        expected = normalise_key(key)  # raises on a bad name: the run is reported as an [ERROR]
        kr = {'matches': 0, 'total': 0, 'key_distribution': {}}
        scores = []
        for f in mids:
            try:
                h = histogram(read_notes(os.path.join(out_dir, f)))
            except Exception:  # noqa: BLE001  (unreadable MIDI: not counted)
                continue
            detected, _ = detect(h)
            kr['total'] += 1
            kr['matches'] += int(detected == expected)
            kr['key_distribution'][detected] = kr['key_distribution'].get(detected, 0) + 1
            scores.append(key_score(h, expected))
        if kr['total']:
            kr['adherence_ratio'] = kr['matches'] / kr['total']
            kr['mean_correlation'] = float(np.mean(scores))
        results['key'] = kr
    return results


def load_word2event(path):
    if path.endswith('.pkl'):
        with open(path, 'rb') as f:
            return pickle.load(f)[1]
    with open(path, 'r', encoding='utf-8') as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', required=True)
    ap.add_argument('--exp', required=True)
    ap.add_argument('--out')
    ap.add_argument('--table')
    ap.add_argument('--lines')
    a = ap.parse_args()
    base = os.path.dirname(os.path.abspath(a.config))
    with open(a.config, encoding='utf-8') as f:
        cfg = json.load(f)
    MODELS = cfg['models']
    MODES = cfg['modes']
    TOKENS_OF_INTEREST = cfg['tokens_of_interest']
    MODEL_TO_WORD2EVENT = {m['name']: load_word2event(os.path.join(base, m['word2event_path'])) for m in MODELS}
    classifier = None
    if cfg.get('classifier'):
        c = cfg['classifier']
        classifier = {'command': c['command'], 'cwd': os.path.join(base, c.get('cwd', '.')), 'timeout_s': c.get('timeout_s', 300)}
    exp = os.path.abspath(a.exp)
    with open(os.path.join(exp, 'all_runs_metadata.json'), encoding='utf-8') as f:
        ALL_RUNS = json.load(f)
    lines = []

    REPORTS = []
    EMOTION_KEY_REPORTS = []
    for run in ALL_RUNS:
        if run['returncode'] != 0:
            continue
        if run['mode'] == 'inference-forced':
            continue
        out_dir = os.path.join(exp, run['out_dir'])
        model_name = run['model']
        if not os.path.isdir(out_dir):
            continue
        metas = sorted(f for f in os.listdir(out_dir) if f.endswith('.meta.json'))
        if not metas:
            continue
        word2event = MODEL_TO_WORD2EVENT.get(model_name)
        per_file = []
        for mf in metas:
            meta_path = os.path.join(out_dir, mf)
            try:
                with open(meta_path, 'r', encoding='utf-8') as f:
                    meta = json.load(f)
                tokens = np.load(os.path.join(out_dir, meta['paths']['npy']))
                conditions = meta.get('conditions_indices') or meta.get('force_indices') or {}
                token_order = meta.get('vocab_order') or []
                adherence = compute_adherence(tokens, conditions, token_order, word2event)
                per_file.append({'meta': meta_path, 'adherence': adherence, 'num_tokens': tokens.shape[0]})
            except Exception as e:  # noqa: BLE001
                lines.append(f"  [ERROR] {mf}: {e}")
                continue
        if per_file:
            REPORTS.append({'run': run, 'files': per_file})

    for run in ALL_RUNS:
        if run['returncode'] != 0:
            continue
        out_dir = os.path.join(exp, run['out_dir'])
        emotion = run['emotion']
        key = run.get('key')
        if not os.path.exists(out_dir):
            continue
        lines.append(f"Analyzing: {os.path.basename(out_dir)}")
        try:
            results = compute_emotion_key_adherence(out_dir, emotion, key, classifier)
            EMOTION_KEY_REPORTS.append({
                'run': run,
                'emotion_adherence': results.get('emotion', {}),
                'key_adherence': results.get('key', {}) if key else None,
                'num_files': results.get('num_files', 0)
            })
            if 'emotion' in results and 'adherence_ratio' in results['emotion']:
                emo_adh = results['emotion']['adherence_ratio'] * 100
                lines.append(f"  Emotion adherence: {emo_adh:.1f}% ({results['emotion']['matches']}/{results['emotion']['total']})")
            if key and 'key' in results and 'adherence_ratio' in results['key']:
                key_adh = results['key']['adherence_ratio'] * 100
                lines.append(f"  Key adherence: {key_adh:.1f}% ({results['key']['matches']}/{results['key']['total']})")
                if 'key_distribution' in results['key']:
                    lines.append(f"  Key distribution: {results['key']['key_distribution']}")
        except Exception as e:  # noqa: BLE001
            lines.append(f"  [ERROR] {e}")
            continue

    # ---- AGGREGATE RESULTS (the reference notebook's cell) ----
    agg = defaultdict(lambda: defaultdict(lambda: {'adherence': [], 'distance': []}))
    emotion_key_agg = defaultdict(lambda: {'emotion_adherence': [], 'key_adherence': [], 'key_correlation': []})
    for report in REPORTS:
        run = report['run']
        key = (run['model'], run['mode'], run['emotion'], run.get('key'), tuple(run['subset']))
        for f in report['files']:
            for token_name, stats in f['adherence'].items():
                agg[key][token_name]['adherence'].append(stats['adherence_ratio'])
                if stats.get('is_numeric') and 'mean_distance' in stats:
                    agg[key][token_name]['distance'].append(stats['mean_distance'])
    for report in EMOTION_KEY_REPORTS:
        run = report['run']
        key = (run['model'], run['mode'], run['emotion'], run.get('key'), tuple(run['subset']))
        if 'emotion_adherence' in report and isinstance(report['emotion_adherence'], dict):
            if 'adherence_ratio' in report['emotion_adherence']:
                emotion_key_agg[key]['emotion_adherence'].append(report['emotion_adherence']['adherence_ratio'])
        if report.get('key_adherence') and isinstance(report['key_adherence'], dict):
            if 'adherence_ratio' in report['key_adherence']:
                emotion_key_agg[key]['key_adherence'].append(report['key_adherence']['adherence_ratio'])
            if 'mean_correlation' in report['key_adherence']:
                emotion_key_agg[key]['key_correlation'].append(report['key_adherence']['mean_correlation'])
    all_keys = set(agg.keys()) | set(emotion_key_agg.keys())
    final_results = []
    for key in all_keys:
        model, mode, emotion, key_tag, subset = key
        row = {'model': model, 'mode': mode, 'emotion': emotion, 'key': key_tag, 'subset': list(subset)}
        if key in agg:
            for token_name, metrics in agg[key].items():
                if metrics['adherence']:
                    row[f'{token_name}_adherence'] = float(np.mean(metrics['adherence']))
                if metrics['distance']:
                    row[f'{token_name}_distance'] = float(np.mean(metrics['distance']))
        if key in emotion_key_agg:
            ek = emotion_key_agg[key]
            if ek['emotion_adherence']:
                row['emotion_adherence'] = float(np.mean(ek['emotion_adherence']))
            if ek['key_adherence']:
                row['key_adherence'] = float(np.mean(ek['key_adherence']))
            if ek['key_correlation']:
                row['key_correlation'] = float(np.mean(ek['key_correlation']))
        final_results.append(row)

    # ---- DISPLAY RESULTS: COMPARISON TABLE (the reference notebook's cell) ----
    out = []
    p = out.append
    p("=" * 90)
    p("ADHERENCE COMPARISON BY MODE (Average across emotions and conditions)")
    p("=" * 90)
    p("")
    mode_comparison = defaultdict(lambda: defaultdict(lambda: {'adherence': [], 'distance': []}))
    for row in final_results:
        key = (row['model'], row['mode'])
        for k, v in row.items():
            if k.endswith('_adherence'):
                mode_comparison[key][k.replace('_adherence', '')]['adherence'].append(v)
            elif k.endswith('_distance'):
                mode_comparison[key][k.replace('_distance', '')]['distance'].append(v)
            elif k == 'key_correlation':
                mode_comparison[key]['key']['distance'].append(v)
    all_tokens = TOKENS_OF_INTEREST + ['emotion', 'key']
    for model_name in [m['name'] for m in MODELS]:
        p(f"{'─' * 90}")
        p(f"Model: {model_name.upper()}")
        p(f"{'─' * 90}")
        p(f"{'Mode':26s} | {'Token':10s} | {'Adherence %':12s} | {'Avg Distance':12s}")
        p(f"{'-' * 90}")
        for mode in MODES:
            key = (model_name, mode)
            if key not in mode_comparison:
                continue
            first = True
            for token in all_tokens:
                if token not in mode_comparison[key]:
                    continue
                metrics = mode_comparison[key][token]
                adherence_pct = np.mean(metrics['adherence']) * 100 if metrics['adherence'] else 0.0
                distance = np.mean(metrics['distance']) if metrics['distance'] else None
                if token == 'key' and model_name == 'pretrained':
                    continue
                mode_str = mode if first else ''
                if token == 'key' and distance is not None:
                    distance_str = f"{distance:.4f} ↑"
                elif distance is not None:
                    distance_str = f"{distance:.2f}"
                else:
                    distance_str = 'N/A'
                p(f"{mode_str:26s} | {token:10s} | {adherence_pct:11.2f}% | {distance_str:>12s}")
                first = False
            if not first:
                p("")
    p("=" * 90)
    p("")
    table = '\n'.join(out) + '\n'

    if a.out:
        with open(a.out, 'w', encoding='utf-8') as f:
            json.dump(final_results, f, indent=2)
    else:
        json.dump(final_results, sys.stdout, indent=2)
        print()
    if a.table:
        with open(a.table, 'w', encoding='utf-8') as f:
            f.write(table)
    if a.lines:
        with open(a.lines, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + ('\n' if lines else ''))


if __name__ == '__main__':
    main()
