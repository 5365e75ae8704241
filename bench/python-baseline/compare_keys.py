#!/usr/bin/env python3
"""Compare `emotune key --json` lines with `reference_key.py` lines (same files, same order).

Usage: compare_keys.py TS.jsonl PY.jsonl [labels.csv]
Prints the number of files, how many keys agree, the largest score differences, and (with a labels file
`file,key,...`) how many detected keys match the labels.
"""
import csv
import json
import sys

ts = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
py = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
assert [t['file'] for t in ts] == [p['file'] for p in py], 'the two lists name different files'
same = sum(t['key'] == p['key'] for t, p in zip(ts, py))
print(f'files {len(ts)}  same key {same}')
print('max |score diff|', max(abs(t['score'] - p['score']) for t, p in zip(ts, py)))
if all(t.get('expected_score') is not None for t in ts):
    print('max |expected_score diff|', max(abs(t['expected_score'] - p['expected_score']) for t, p in zip(ts, py)))
for t, p in zip(ts, py):
    if t['key'] != p['key']:
        print('DIFFERENT', t['file'], t['key'], p['key'])
if len(sys.argv) > 3:
    labels = {r['file']: r['key'] for r in csv.DictReader(open(sys.argv[3]))}
    print('agree with labels', sum(labels.get(t['file']) == t['key'] for t in ts), 'of', len(ts))
