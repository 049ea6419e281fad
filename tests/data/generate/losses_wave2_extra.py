#!/usr/bin/env python3
"""Reference vectors for what losses_wave2.json does not cover: the parametric cross-entropy
(Kini et al. 2021), per-sample weights for every loss, and multi-label (multi-hot) sigmoid losses.

PyTorch float64 autograd over each loss's formula (the official code's, as losses_wave2.json and
losses.json record them). Per-sample weights s_i multiply the per-sample (or per-row) loss and the
reduction keeps the loss's own normaliser: mean = sum_i s_i l_i / normaliser (N, N*K, or
sum_i w_{y_i} for PyTorch's class-weighted mean). LADE's batch estimates use the weights too
(n_c = sum s_i over class c, weighted mean and log-mean-exp), the library's documented extension.

Run: python3 tests/data/generate/losses_wave2_extra.py > tests/data/losses_wave2_extra.json
(Debian's python3-torch; deterministic: fixed generator seeds).
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)
G = torch.Generator().manual_seed(20261130)


def rand(*shape, scale=1.0):
    return torch.randn(*shape, generator=G) * scale


def randint(high, n):
    return torch.randint(0, high, (n,), generator=G)


def long_tailed_counts(k, n_max=2000, ratio=100.0):
    return [int(n_max * ratio ** (-j / max(k - 1, 1))) for j in range(k)]


def weights(n):
    return torch.rand(n, generator=G) * 2.0


def reduce(per, s, mode, normaliser):
    per = per * s
    if mode == "mean":
        return per.sum() / normaliser
    return per.sum()


def case(name, loss, options, counts, reduction, logits, value, grad, **extra):
    out = {"name": name, "loss": loss, "options": options, "class_counts": counts, "reduction": reduction,
           "logits": logits.detach().tolist(), "value": float(value), "gradient": grad.tolist()}
    out.update(extra)
    return out


def ce_rows(z, y):
    return torch.logsumexp(z, 1) - z.gather(1, y[:, None])[:, 0]


def run(fn, z):
    z = z.clone().requires_grad_(True)
    v = fn(z)
    v.backward()
    return v.item(), z.grad.detach()


cases = []

# --- parametric cross-entropy: z' = Delta z + iota - m_y [j == y], l = alpha_y CE(z') ---
for idx, (reduction, normalizer) in enumerate([("mean", "weight_sum"), ("mean", "batch_size"), ("sum", "weight_sum"),
                                               ("none", "weight_sum")]):
    n, k = (12, 6) if idx % 2 == 0 else (7, 4)
    counts = long_tailed_counts(k)
    delta = (torch.rand(k, generator=G) * 1.5 + 0.25)
    iota = rand(k)
    margin = torch.rand(k, generator=G)
    alpha = torch.rand(k, generator=G) * 2 + 0.1
    z0, y = rand(n, k, scale=2.0), randint(k, n)
    s = weights(n)

    def f(z, with_s):
        zp = z * delta + iota - margin[y][:, None] * torch.nn.functional.one_hot(y, k)
        per = alpha[y] * ce_rows(zp, y)
        norm = alpha[y].sum() if normalizer == "weight_sum" else n
        return reduce(per, s if with_s else torch.ones(n), reduction, norm)

    opts = {"multiplicative": delta.tolist(), "additive": iota.tolist(), "target_margin": margin.tolist(),
            "class_weights": alpha.tolist(), "normalizer": normalizer}
    v, g = run(lambda z: f(z, False), z0)
    cases.append(case(f"parametric_ce_{reduction}_{normalizer}", "parametric_ce", opts, counts, reduction, z0, v, g,
                      labels=y.tolist()))
    v, g = run(lambda z: f(z, True), z0)
    cases.append(case(f"parametric_ce_{reduction}_{normalizer}_weighted", "parametric_ce", opts, counts, reduction, z0,
                      v, g, labels=y.tolist(), sample_weights=s.tolist()))


# --- per-sample weights for every loss of the library ---
def weighted_case(name, loss, options, counts, reduction, z0, y, per_fn, normaliser, **extra):
    s = weights(z0.shape[0])
    v, g = run(lambda z: reduce(per_fn(z), s, reduction, normaliser), z0)
    cases.append(case(name, loss, options, counts, reduction, z0, v, g, labels=y.tolist(), sample_weights=s.tolist(),
                      **extra))


n, k = 10, 5
counts = long_tailed_counts(k)
cnt = torch.tensor(counts, dtype=torch.float64)
pi = cnt / cnt.sum()
y = randint(k, n)
z0 = rand(n, k, scale=2.0)
w_cls = torch.rand(k, generator=G) * 2 + 0.1
onehot = torch.nn.functional.one_hot(y, k).double()

weighted_case("cross_entropy_class_weights_sw", "cross_entropy", {"class_weights": w_cls.tolist()}, counts, "mean",
              z0, y, lambda z: w_cls[y] * ce_rows(z, y), w_cls[y].sum())
for gamma in (0.5, 2.0):
    def focal(z, gamma=gamma):
        q = w_cls[y] * ce_rows(z, y)
        return (1 - torch.exp(-q)) ** gamma * q
    weighted_case(f"softmax_focal_g{gamma}_sw", "softmax_focal", {"gamma": gamma, "class_weights": w_cls.tolist()},
                  counts, "mean", z0, y, focal, n)
m = cnt ** -0.25
m = m * 0.5 / m.max()
weighted_case("ldam_sw", "ldam", {"max_margin": 0.5, "scale": 30.0}, counts, "mean", z0 / 10, y,
              lambda z: ce_rows(30 * (z - m[y][:, None] * onehot), y), n)
weighted_case("ldam_sum_sw", "ldam", {"max_margin": 0.5, "scale": 30.0}, counts, "sum", z0 / 10, y,
              lambda z: ce_rows(30 * (z - m[y][:, None] * onehot), y), n)
delta = (cnt / cnt.max()) ** 0.3
weighted_case("vs_sw", "vs", {"gamma": 0.3, "tau": 1.0}, counts, "mean", z0, y,
              lambda z: ce_rows(z * delta + torch.log(pi), y), n)
weighted_case("logit_adjusted_sw", "logit_adjusted", {"tau": 1.0}, counts, "mean", z0, y,
              lambda z: ce_rows(z + torch.log(pi ** 1.0 + 1e-12), y), n)
weighted_case("balanced_softmax_sw", "balanced_softmax", {}, counts, "mean", z0, y,
              lambda z: ce_rows(z + torch.log(cnt), y), n)


def sigmoid_focal_elements(z, t, alpha, gamma):
    p = torch.sigmoid(z)
    ce = torch.nn.functional.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return loss


weighted_case("sigmoid_focal_sw", "sigmoid_focal", {"alpha": 0.25, "gamma": 2.0}, counts, "mean", z0, y,
              lambda z: sigmoid_focal_elements(z, onehot, 0.25, 2.0).sum(1), n * k)


def cb_focal_rows(z, gamma, wc):
    ce = torch.nn.functional.binary_cross_entropy_with_logits(z, onehot, reduction="none")
    mod = torch.exp(-gamma * onehot * z - gamma * torch.log1p(torch.exp(-z)))
    return (wc[y][:, None] * mod * ce).sum(1)


weighted_case("cb_focal_sw", "cb_focal", {"gamma": 0.5, "class_weights": w_cls.tolist()}, counts, "mean", z0, y,
              lambda z: cb_focal_rows(z, 0.5, w_cls), n)

freq = pi
lam = float((freq[2] + freq[3]) / 2)  # classes 3 and 4 are tail classes
tail = (freq < lam).double()
weighted_case("eql_sw", "eql", {"lambda": lam, "class_frequency": freq.tolist()}, counts, "mean", z0, y,
              lambda z: ((1 - tail[None, :] * (1 - onehot)) *
                         torch.nn.functional.binary_cross_entropy_with_logits(z, onehot, reduction="none")).sum(1), n)

cum_before = torch.tensor([300.0, 0.0, 40.0, 12.0, 1.0])
cum_after = cum_before + onehot.sum(0)


def seesaw_rows(z, p=0.8, q=2.0, eps=1e-2):
    c = cum_after.clamp(min=1)
    ratio = c[None, :] / c[:, None]
    mit = torch.where(ratio < 1, ratio ** p, torch.ones_like(ratio))[y]
    sc = torch.softmax(z.detach(), 1)
    self_s = sc.gather(1, y[:, None]).clamp(min=eps)
    r = sc / self_s
    comp = torch.where(r > 1, r ** q, torch.ones_like(r))
    zp = z + torch.log(mit * comp) * (1 - onehot)
    return ce_rows(zp, y)


weighted_case("seesaw_sw", "seesaw", {"p": 0.8, "q": 2.0, "eps": 0.01, "cumulative_counts": cum_before.tolist()},
              counts, "mean", z0, y, seesaw_rows, n, cumulative_counts_after=cum_after.tolist())

a_l1 = torch.rand(n, generator=G) * 5 + 0.5
w_ib = (1 / cnt) / (1 / cnt).sum() * k


def ib_rows(z, alpha=1000.0, eps=1e-3):
    sm = torch.softmax(z, 1)
    grads = (sm - onehot).abs().sum(1)
    ib = alpha / (grads * a_l1 + eps)
    return w_ib[y] * ce_rows(z, y) * ib


weighted_case("ib_sw", "ib", {"alpha": 1000.0, "epsilon": 0.001, "class_weights": w_ib.tolist()}, counts, "mean", z0,
              y, ib_rows, n, features_l1=a_l1.tolist())

# LADE with weighted batch estimates.
s_lade = weights(n)


def lade(z, s, alpha=0.1, lam=0.1):
    prior_ce = (s * ce_rows(z + torch.log(pi + 1e-9), y)).sum() / n
    nc = (onehot * s[:, None]).sum(0)
    first = (onehot * s[:, None] * z).sum(0) / (nc + 1e-8)
    second = torch.logsumexp(z - torch.log(pi + 1e-9) + math.log(1 / k + 1e-9) + torch.log(s)[:, None], 0) \
        - torch.log(s.sum())
    r = -(pi * (first - second - lam * second ** 2)).sum()
    return prior_ce + alpha * r


v, g = run(lambda z: lade(z, s_lade), z0)
cases.append(case("lade_sw", "lade", {"alpha": 0.1, "remine_lambda": 0.1, "prior_ce_weight": 1.0}, counts, "mean", z0,
                  v, g, labels=y.tolist(), sample_weights=s_lade.tolist()))

# Dot-regression with sample weights (input h, N x d).
d = 7
q_mat, _ = torch.linalg.qr(torch.rand(d, k, generator=G))
etf = math.sqrt(k / (k - 1)) * q_mat @ (torch.eye(k) - torch.ones(k, k) / k)
h0 = torch.nn.functional.normalize(rand(n, d), dim=1) * (torch.rand(n, 1, generator=G) + 0.5)
bc = onehot.sum(0)
ew = torch.where(bc > 0, torch.sqrt((n / (bc > 0).sum()) / bc.clamp(min=1)), torch.ones(k))
cur = etf * ew[None, :]


def dr_rows(h, reg=0.01):
    dot = (h * cur[:, y].T).sum(1)
    big_h = torch.clamp(h.detach().norm(dim=1), min=1e-8)
    mlen = cur[:, y].T.norm(dim=1)
    return 0.5 * (dot - mlen * big_h) ** 2 / big_h + reg * h.norm(dim=1)


weighted_case("dot_regression_sw", "dot_regression", {"etf_matrix": etf.tolist(), "given_ew": True, "reg_lam": 0.01},
              counts, "mean", h0, y, dr_rows, n)

# LDAM hinge: logits far from kinks.
zh = torch.round(rand(n, k, scale=2.0) * 4) / 4 + torch.arange(k) * 0.013
weighted_case("ldam_hinge_sw", "ldam_hinge", {"max_margin": 0.5}, counts, "mean", zh, y,
              lambda z: torch.clamp((z - 1e9 * onehot).max(1).values - z.gather(1, y[:, None])[:, 0] + m[y], min=0), n)

# --- multi-label (multi-hot targets) ---
t = (torch.rand(n, k, generator=G) < 0.3).double()
t[torch.arange(n), y] = 1  # at least one positive per row
for name, alpha, gamma in (("sigmoid_focal_multilabel", 0.25, 2.0), ("sigmoid_focal_multilabel_a-1_g0.5", -1.0, 0.5)):
    for red in ("mean", "sum"):
        s = weights(n)
        v, g = run(lambda z: reduce(sigmoid_focal_elements(z, t, alpha, gamma).sum(1), torch.ones(n), red, n * k), z0)
        cases.append(case(f"{name}_{red}", "sigmoid_focal", {"alpha": alpha, "gamma": gamma}, counts, red, z0, v, g,
                          labels=[], targets=t.tolist()))
        v, g = run(lambda z: reduce(sigmoid_focal_elements(z, t, alpha, gamma).sum(1), s, red, n * k), z0)
        cases.append(case(f"{name}_{red}_sw", "sigmoid_focal", {"alpha": alpha, "gamma": gamma}, counts, red, z0, v, g,
                          labels=[], targets=t.tolist(), sample_weights=s.tolist()))

# Distribution-balanced with sample weights (COCO configuration).
class_freq = [int(c) for c in (t.sum(0) * 100 + torch.tensor(counts) / 10)]
train_num = max(class_freq) * 2 + 7
cf = torch.tensor(class_freq, dtype=torch.float64)
db_opts = {"focal": True, "gamma": 2.0, "balance_param": 2.0, "neg_scale": 2.0, "init_bias": 0.05, "map_alpha": 0.1,
           "map_beta": 10.0, "map_gamma": 0.2, "loss_weight": 1.0, "train_num": train_num}


def db_rows(z):
    freq_inv = 1 / cf
    repeat = (t * freq_inv).sum(1, keepdim=True)
    wgt = torch.sigmoid(10.0 * (freq_inv[None, :] / repeat - 0.2)) + 0.1
    bias = -torch.log(train_num / cf - 1) * 0.05 / 2.0
    zz = z + bias
    zz = zz * (1 - t) * 2.0 + zz * t
    wgt = wgt / 2.0 * (1 - t) + wgt * t
    bce = torch.nn.functional.binary_cross_entropy_with_logits(zz, t, reduction="none")
    pt = torch.exp(-bce)
    return (2.0 * (1 - pt) ** 2 * wgt * bce).sum(1)


s = weights(n)
v, g = run(lambda z: reduce(db_rows(z), s, "mean", n * k), z0)
cases.append(case("distribution_balanced_multilabel_sw", "distribution_balanced", db_opts, class_freq, "mean", z0, v,
                  g, labels=[], targets=t.tolist(), sample_weights=s.tolist()))

# --- TDE (causal-norm classifier) inference: models/CausalNormClassifier.py forward, use_effect on ---
def tde(x, weight_kd, embed, heads=2, tau=16.0, alpha=3.0, gamma=1 / 32, effect=True):
    hd = x.shape[1] // heads
    normed_w = torch.cat([c / (c.norm(2, 1, keepdim=True) + gamma) for c in torch.split(weight_kd, hd, 1)], 1)
    normed_x = torch.cat([c / c.norm(2, 1, keepdim=True) for c in torch.split(x, hd, 1)], 1)
    scale = tau / heads
    if not effect:
        return (normed_x * scale) @ normed_w.T
    normed_c = torch.cat([c / c.norm(2, 1, keepdim=True) for c in torch.split(embed.view(1, -1), hd, 1)], 1)
    out = 0
    for nx, nc, nw in zip(torch.split(normed_x, hd, 1), torch.split(normed_c, hd, 1), torch.split(normed_w, hd, 1)):
        cos = (nx * nc).sum(-1, keepdim=True) / nx.norm(2, 1, keepdim=True) / nc.norm(2, 1, keepdim=True)
        out = out + ((nx - cos * alpha * nc) * scale) @ nw.T
    return out


for heads, alpha in ((2, 3.0), (1, 1.5), (4, 3.0)):
    feats = rand(9, 8)
    weight = rand(5, 8)  # K x d as the official parameter
    embed = torch.zeros(8)
    for _ in range(5):  # the official moving average over a few batches
        embed = 0.9 * embed + rand(16, 8).abs().mean(0)
    cases.append({"name": f"tde_heads{heads}_alpha{alpha}", "loss": "tde",
                  "options": {"heads": heads, "tau": 16.0, "alpha": alpha, "gamma": 1 / 32},
                  "features": feats.tolist(), "weights": weight.T.tolist(), "moving_average": embed.tolist(),
                  "logits_train": tde(feats, weight, embed, heads, 16.0, alpha, effect=False).tolist(),
                  "logits_tde": tde(feats, weight, embed, heads, 16.0, alpha).tolist()})

print(json.dumps({"about": __doc__.strip().splitlines()[0] + " Generated by tests/data/generate/losses_wave2_extra.py "
                  "(PyTorch " + torch.__version__ + ", float64 autograd).", "cases": cases}, indent=1))
