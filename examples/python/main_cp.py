#!/usr/bin/env python3
"""A minimal generator that follows EmoTune Lab's generator contract (docs/generator-contract.md).

It stands where your main_cp.py stands: same flags, same outputs, standard library only (no numpy, no
torch). It does not learn anything: it writes a short arpeggio in the requested key with the conditioned
token values, so that every output the contract asks for is there and `emotune doctor` passes. Replace
`compose()` with your model's inference.
"""
import argparse
import json
import os
import pickle
import struct
import sys

TICKS_PER_BEAT = 480
TONICS = {'C': 0, 'C#': 1, 'Db': 1, 'D': 2, 'D#': 3, 'Eb': 3, 'E': 4, 'F': 5, 'F#': 6, 'Gb': 6,
          'G': 7, 'G#': 8, 'Ab': 8, 'A': 9, 'A#': 10, 'Bb': 10, 'B': 11}


def fail(message):
    print(f'main_cp.py: {message}', file=sys.stderr)
    sys.exit(1)


# 1. Flags (EmoTune passes them in this order; argparse does not care).
ap = argparse.ArgumentParser()
for flag in ['data_root', 'exp_path', 'mode', 'task_type', 'num_songs', 'emo_tag', 'save_tokens_json',
             'load_ckt', 'load_ckt_loss', 'load_dict', 'out_dir']:
    ap.add_argument(f'--{flag}', required=True)
ap.add_argument('--conditions')    # primed and deterministic modes: {"token type": "label"}
ap.add_argument('--force_tokens')  # forced mode: the same shape
ap.add_argument('--key_tag')       # key-aware models only, e.g. A:maj
args = ap.parse_args()
emotion = int(args.emo_tag)
key = args.key_tag
requested = json.loads(args.conditions or args.force_tokens or '{}')

# 2. The vocabulary at <data_root>/<load_dict>: word2event JSON, or the (event2word, word2event) pickle.
dict_path = os.path.join(args.data_root, args.load_dict)
try:
    if dict_path.endswith('.pkl'):
        with open(dict_path, 'rb') as f:
            word2event = pickle.load(f)[1]
    else:
        with open(dict_path, encoding='utf-8') as f:
            word2event = json.load(f)
        if isinstance(word2event, list):
            word2event = word2event[1]
except (OSError, ValueError, pickle.UnpicklingError, IndexError, KeyError) as e:
    fail(f'cannot read the vocabulary {dict_path}: {e}')
word2event = {t: {int(i): label for i, label in items.items()} for t, items in word2event.items()}


def index_of(token_type, label):
    for i, l in word2event.get(token_type, {}).items():
        if l == label:
            return i
    return None


order = ['tempo', 'chord', 'bar-beat', 'type', 'pitch', 'duration', 'velocity', 'emotion'] + (['key'] if key else [])
for t in order:
    if t not in word2event:
        fail(f'the vocabulary {dict_path} has no token type "{t}"')
targets = {}
for token_type, label in requested.items():
    i = index_of(token_type, label)
    if i is None:
        fail(f'condition {token_type}={label}: no such label in {dict_path}')
    targets[token_type] = i


def number_of(label):
    try:
        return int(str(label).split('_')[-1])
    except ValueError:
        return 0


# 3. Compose: one Emotion step, then 4 bars of Bar/Beat steps each followed by a Note step.
def compose():
    tonic_name, quality = (key or 'C:maj').split(':')
    chord = [0, 3, 7, 12] if quality == 'min' else [0, 4, 7, 12]
    rows, notes = [], []

    def row(values):
        rows.append([values.get(t) or 0 for t in order])

    row({'type': index_of('type', 'Emotion'), 'emotion': index_of('emotion', emotion),
         'key': index_of('key', key) if key else 0})
    for bar in range(4):
        row({'type': index_of('type', 'Metrical'), 'bar-beat': index_of('bar-beat', 'Bar'),
             'tempo': index_of('tempo', 'Tempo_110') or 1})
        for beat in range(4):
            position = beat * 4  # 16 positions a bar
            row({'type': index_of('type', 'Metrical'), 'bar-beat': index_of('bar-beat', f'Beat_{position}')})
            pitch = 57 + TONICS[tonic_name] + chord[beat]
            values = {
                'type': index_of('type', 'Note'),
                'pitch': index_of('pitch', f'Note_Pitch_{pitch}'),
                'duration': index_of('duration', 'Note_Duration_480'),
                'velocity': index_of('velocity', 'Note_Velocity_100' if emotion <= 2 else 'Note_Velocity_60'),
            }
            values.update(targets)  # conditioned (or forced) columns take the requested index at every note
            row(values)
            notes.append({
                'start': (bar * 16 + position) * (TICKS_PER_BEAT // 4),
                'pitch': pitch,
                'duration': number_of(word2event['duration'][values['duration']]) or TICKS_PER_BEAT,
                'velocity': number_of(word2event['velocity'][values['velocity']]) or 64,
            })
    return rows, notes


# 4. Writers: .npy (int64 [T, F]), MIDI (format 0, 480 ticks a beat), meta and tokens JSON.
def npy_bytes(rows):
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), len(order))
    header += ' ' * (63 - (10 + len(header)) % 64) + '\n'  # data starts on a 64-byte boundary
    data = b''.join(struct.pack('<q', v) for r in rows for v in r)
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1') + data


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.insert(0, (n & 0x7F) | 0x80)
        n >>= 7
    return bytes(out)


def midi_bytes(notes):
    events = []
    for n in notes:
        events.append((n['start'] + n['duration'], 0x80, n['pitch'], 0))
        events.append((n['start'], 0x90, n['pitch'], n['velocity']))
    events.sort(key=lambda e: (e[0], e[1]))
    track = b'\x00\xff\x51\x03\x07\xa1\x20'  # tempo 120 bpm
    now = 0
    for t, status, pitch, velocity in events:
        track += vlq(t - now) + bytes([status, pitch, velocity])
        now = t
    track += b'\x00\xff\x2f\x00'
    header = b'MThd' + struct.pack('>IHHH', 6, 0, 1, TICKS_PER_BEAT)
    return header + b'MTrk' + struct.pack('>I', len(track)) + track


os.makedirs(args.out_dir, exist_ok=True)
for song in range(int(args.num_songs)):
    name = f'emo{emotion}_{song}'
    rows, notes = compose()
    with open(os.path.join(args.out_dir, f'{name}.npy'), 'wb') as f:
        f.write(npy_bytes(rows))
    with open(os.path.join(args.out_dir, f'{name}.mid'), 'wb') as f:
        f.write(midi_bytes(notes))
    meta = {
        'paths': {'npy': f'{name}.npy', 'midi': f'{name}.mid'},  # relative to the meta file's folder
        'inference_mode': args.mode,
        'emotion_tag': emotion,
        'key_tag': key,
        'vocab_order': order,
        ('force_indices' if args.mode == 'inference-forced' else 'conditions_indices'): targets,
    }
    with open(os.path.join(args.out_dir, f'{name}.meta.json'), 'w', encoding='utf-8') as f:
        json.dump(meta, f, indent=1)
    if args.save_tokens_json == '1':
        readable = [{t: word2event[t].get(v) for t, v in zip(order, r)} for r in rows]
        with open(os.path.join(args.out_dir, f'{name}.tokens.json'), 'w', encoding='utf-8') as f:
            json.dump(readable, f)
    print(f'wrote {os.path.join(args.out_dir, name)}.{{npy,mid,meta.json}}')
