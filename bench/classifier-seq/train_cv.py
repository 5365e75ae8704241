"""Song-grouped 5-fold cross-validation of a small sequence model over EMOPIA compound-word steps (train split only).

Reads the file written by export-sequences.ts (steps, folds of both deals, the shipped feature model's held-out
logits) and prints, per deal and averaged: 4-quadrant, arousal and valence accuracy of the sequence model alone,
of the shipped model, and of their stack (mean of log-probabilities), per fold and on the robustness variants.
Runs with Debian's python3-torch only (no numpy needed), on one thread:

  nice -n 19 /usr/bin/python3 bench/classifier-seq/train_cv.py --data /tmp/emopia-seq.json [--arch cnn] [--epochs 24]

Everything is seeded; one thread makes the run repeatable on one machine.
"""

import argparse
import json
import math
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

KIND, POS, TEMPO, ROOT, QUAL, PITCH, DUR, VEL = range(8)
TRAIN_VARIANTS = ["unmodified", "velocity 50", "velocity 90", "CP grid"]
EVAL_VARIANTS = ["velocity 40", "velocity 64", "velocity 100", "CP grid", "CP grid + velocity 64"]


def tempo_bin(bpm):
    return 0 if bpm <= 0 else 1 + min(39, max(0, int((bpm - 30) // 6)))


def velocity_bin(v):
    return 0 if v <= 0 else 1 + min(15, v // 8)


def transpose_pitch(p, s):
    if p == 0:
        return 0
    p += s
    while p < 21:
        p += 12
    while p > 108:
        p -= 12
    return p


def encode(steps, shift, use_velocity, max_len, rng=None):
    """Steps -> long tensor [T, 7] of embedding indices, transposed by `shift`, cropped to max_len (random crop
    when rng is given, else the first max_len steps)."""
    if len(steps) > max_len:
        start = rng.randrange(len(steps) - max_len + 1) if rng else 0
        steps = steps[start : start + max_len]
    rows = []
    for s in steps:
        root = s[ROOT]
        if 1 <= root <= 12:
            root = (root - 1 + shift) % 12 + 1
        rows.append(
            [
                s[KIND],
                s[POS],
                tempo_bin(s[TEMPO]),
                root,
                s[QUAL],
                transpose_pitch(s[PITCH], shift),
                min(int(s[DUR]), 17),
                velocity_bin(s[VEL]) if use_velocity else 0,
            ]
        )
    if not rows:
        rows = [[1, 0, 0, 0, 0, 0, 0, 0]]
    return torch.tensor(rows, dtype=torch.long)


SIZES = [4, 17, 41, 14, 12, 109, 18, 17]


class StepEmbedding(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.tables = nn.ModuleList(nn.Embedding(n, d) for n in SIZES)

    def forward(self, x):
        return sum(t(x[..., i]) for i, t in enumerate(self.tables))


class ConvNet(nn.Module):
    """Dilated residual 1-D convolutions over steps, masked mean + max pooling, a 4-way head."""

    def __init__(self, d, layers, dropout):
        super().__init__()
        self.embed = StepEmbedding(d)
        self.convs = nn.ModuleList(nn.Conv1d(d, d, 5, padding=2 * 2**i, dilation=2**i) for i in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Dropout(dropout), nn.Linear(d, 4))

    def forward(self, x, mask):
        h = self.embed(x)
        m = mask.unsqueeze(-1)
        for conv, norm in zip(self.convs, self.norms):
            h = norm(h + self.drop(F.gelu(conv((h * m).transpose(1, 2)).transpose(1, 2))))
        return self.head(pool(h, m))


class GruNet(nn.Module):
    """Bidirectional GRU over steps, masked mean + max pooling, a 4-way head."""

    def __init__(self, d, layers, dropout):
        super().__init__()
        self.embed = StepEmbedding(d)
        self.gru = nn.GRU(d, d // 2, num_layers=layers, batch_first=True, bidirectional=True, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Dropout(dropout), nn.Linear(d, 4))

    def forward(self, x, mask):
        lengths = mask.sum(1).long().cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(x), lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.gru(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        return self.head(pool(self.drop(h), mask.unsqueeze(-1)))


def pool(h, m):
    mean = (h * m).sum(1) / m.sum(1).clamp(min=1)
    mx = h.masked_fill(m == 0, -1e4).max(1).values
    return torch.cat([mean, mx], -1)


def batch(seqs):
    t = max(s.shape[0] for s in seqs)
    x = torch.zeros(len(seqs), t, 8, dtype=torch.long)
    mask = torch.zeros(len(seqs), t)
    for i, s in enumerate(seqs):
        x[i, : s.shape[0]] = s
        mask[i, : s.shape[0]] = 1
    return x, mask


def make_model(args):
    net = ConvNet if args.arch == "cnn" else GruNet
    return net(args.dim, args.layers, args.dropout)


def train_fold(clips, args, seed):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = make_model(args)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(len(clips) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.2
    )
    variants = TRAIN_VARIANTS if args.velocity else ["unmodified", "CP grid"]
    model.train()
    for _ in range(args.epochs):
        order = list(range(len(clips)))
        rng.shuffle(order)
        for b in range(0, len(order), args.batch):
            chosen = [clips[i] for i in order[b : b + args.batch]]
            seqs = [
                encode(
                    c["sequences"][rng.choice(variants)],
                    rng.randint(-args.transpose, args.transpose),
                    args.velocity,
                    args.max_len,
                    rng,
                )
                for c in chosen
            ]
            x, mask = batch(seqs)
            y = torch.tensor([c["quadrant"] - 1 for c in chosen])
            loss = F.cross_entropy(model(x, mask), y, label_smoothing=args.smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return model


@torch.no_grad()
def predict(model, clips, variant, args):
    model.eval()
    out = []
    for b in range(0, len(clips), 16):
        seqs = [encode(c["sequences"][variant], 0, args.velocity, args.eval_len) for c in clips[b : b + 16]]
        out.extend(model(*batch(seqs)).tolist())
    return out


def log_softmax(z):
    m = max(z)
    s = math.log(sum(math.exp(v - m) for v in z))
    return [v - m - s for v in z]


def scores(logits, labels):
    right = arousal = valence = 0
    for z, q in zip(logits, labels):
        k = max(range(4), key=lambda i: z[i])
        right += k == q
        arousal += (k in (0, 1)) == (q in (0, 1))
        valence += (k in (0, 3)) == (q in (0, 3))
    n = len(labels)
    return right / n, arousal / n, valence / n


def stack(a, b, w):
    """Weighted mean of the two models' log-probabilities (a geometric mean of the probabilities)."""
    return [[w * x + (1 - w) * y for x, y in zip(log_softmax(p), log_softmax(q))] for p, q in zip(a, b)]


def fit_temperature(logits, labels):
    best = (float("inf"), 1.0)
    for i in range(20, 401):
        t = i / 100
        nll = -sum(log_softmax([v / t for v in z])[q] for z, q in zip(logits, labels))
        best = min(best, (nll, t))
    return best[1]


def ece(logits, labels, bins=10):
    total = [0] * bins
    conf = [0.0] * bins
    right = [0] * bins
    for z, q in zip(logits, labels):
        p = [math.exp(v) for v in log_softmax(z)]
        k = max(range(4), key=lambda i: p[i])
        b = min(bins - 1, int(p[k] * bins))
        total[b] += 1
        conf[b] += p[k]
        right[b] += k == q
    return sum(abs(conf[b] - right[b]) for b in range(bins) if total[b]) / len(labels)


def pct(v):
    return f"{100 * v:.1f}%"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="JSON written by export-sequences.ts")
    ap.add_argument("--arch", choices=["cnn", "gru"], default="cnn")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--max-len", type=int, default=384, help="random crop of the steps while training")
    ap.add_argument("--eval-len", type=int, default=2048, help="steps read at prediction time")
    ap.add_argument("--transpose", type=int, default=5, help="random transposition in [-N, N] semitones")
    ap.add_argument("--velocity", action="store_true", help="read velocity (trained with constant-velocity copies)")
    ap.add_argument("--deals", type=int, default=2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", help="write the held-out logits (JSON) here")
    ap.add_argument("--load", help="re-score held-out logits written by --save instead of training")
    args = ap.parse_args()

    data = json.load(open(args.data))
    clips = data["clips"]
    labels = [c["quadrant"] - 1 for c in clips]
    print(" ".join(sys.argv[1:]), flush=True)
    t0 = time.time()
    results = []
    loaded = json.load(open(args.load))["held"] if args.load else None
    for deal in range(args.deals):
        held = {v: [None] * len(clips) for v in ["unmodified"] + EVAL_VARIANTS}
        if loaded:
            held = loaded[deal]
        for k in range(0 if loaded else args.folds):
            train = [c for c in clips if c["folds"][deal] != k]
            test = [i for i, c in enumerate(clips) if c["folds"][deal] == k]
            model = train_fold(train, args, args.seed * 1000 + deal * 10 + k)
            for v in held:
                for i, z in zip(test, predict(model, [clips[i] for i in test], v, args)):
                    held[v][i] = z
            acc = scores([held["unmodified"][i] for i in test], [labels[i] for i in test])[0]
            print(f"  deal {deal + 1} fold {k + 1}: {pct(acc)} ({time.time() - t0:.0f} s)", flush=True)
        shipped = {v: [c["shippedLogits"][deal][v] for c in clips] for v in held}
        results.append({"held": held, "shipped": shipped, "deal": deal})

    print("\n| model | 4-quadrant | arousal | valence | worst variant | per fold (deal 1; deal 2) |")
    print("| --- | --- | --- | --- | --- | --- |")

    def row(name, pick):
        per_deal = [scores(pick(r, "unmodified"), labels) for r in results]
        avg = [sum(s[j] for s in per_deal) / len(per_deal) for j in range(3)]
        worst = min(
            ((sum(scores(pick(r, v), labels)[0] for r in results) / len(results), v) for v in EVAL_VARIANTS),
        )
        def folds(r):
            d = r["deal"]
            z = pick(r, "unmodified")
            return " ".join(
                pct(scores([z[i] for i in range(len(clips)) if clips[i]["folds"][d] == k],
                           [labels[i] for i in range(len(clips)) if clips[i]["folds"][d] == k])[0])
                for k in range(args.folds)
            )
        deals = ", ".join(pct(s[0]) for s in per_deal)
        print(f"| {name} | {pct(avg[0])} (deals {deals}) | {pct(avg[1])} | {pct(avg[2])} | "
              f"{pct(worst[0])} ({worst[1]}) | {'; '.join(folds(r) for r in results)} |")
        return avg

    row("shipped feature model", lambda r, v: r["shipped"][v])
    row(f"sequence model ({args.arch})", lambda r, v: r["held"][v])
    for w in (0.3, 0.5):
        row(f"stack, sequence weight {w}", lambda r, v, w=w: stack(r["held"][v], r["shipped"][v], w))

    for name, pick in [("sequence", lambda r: r["held"]["unmodified"]),
                       ("stack 0.3", lambda r: stack(r["held"]["unmodified"], r["shipped"]["unmodified"], 0.3))]:
        z = pick(results[0])
        t = fit_temperature(z, labels)
        print(f"{name} (deal 1): ECE {ece(z, labels):.3f} at T=1, {ece([[v / t for v in s] for s in z], labels):.3f} at T={t:.2f} (fitted on these CV logits)")
    print(f"total {time.time() - t0:.0f} s")
    if args.save and not loaded:
        json.dump({"args": vars(args), "held": [r["held"] for r in results]}, open(args.save, "w"))


if __name__ == "__main__":
    main()
