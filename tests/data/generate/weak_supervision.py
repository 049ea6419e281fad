#!/usr/bin/env python3
"""Reference vectors for the weak-supervision pieces that have a PyTorch formula:
 - soft-target cross-entropy: torch.nn.functional.cross_entropy(z, T) with class-probability targets
   (PyTorch >= 1.10), reduction mean and sum, and with per-sample weights s (sum_i s_i l_i / N);
 - PRODEN's and RECORDS' confidence updates, written as the official code writes them
   (PRODEN: revisedY = S * softmax(z), rows normalised; RECORDS utils_loss.py: softmax(z - log(bias + 1e-9))
   with bias = softmax(fc(feat_mean)), times S, rows normalised).

Run: python3 tests/data/generate/weak_supervision.py > tests/data/weak_supervision.json
(Debian's python3-torch, float64, fixed generator seed).
"""
import json

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
G = torch.Generator().manual_seed(20261130)


def soft_targets(n, k, empty_rows=()):
    t = torch.rand(n, k, generator=G) * (torch.rand(n, k, generator=G) < 0.6)
    t[:, 0] += 0.05  # no all-zero row unless asked
    for r in empty_rows:
        t[r] = 0
    return t


cases = []
for name, n, k, scale, rows_sum_to_one in [("soft_5x4", 5, 4, 2.0, True), ("soft_7x6_unnormalised", 7, 6, 4.0, False),
                                           ("soft_3x10_large_logits", 3, 10, 30.0, True)]:
    z = torch.randn(n, k, generator=G) * scale
    t = soft_targets(n, k)
    if rows_sum_to_one:
        t = t / t.sum(1, keepdim=True)
    s = torch.rand(n, generator=G) * 2
    s[1] = 0.0
    for reduction in ["mean", "sum"]:
        zz = z.clone().requires_grad_(True)
        if reduction == "mean":
            loss = F.cross_entropy(zz, t, reduction="mean")
        else:
            loss = F.cross_entropy(zz, t, reduction="sum")
        loss.backward()
        case = {"name": f"{name}_{reduction}", "reduction": reduction, "logits": z.tolist(), "targets": t.tolist(),
                "value": loss.item(), "gradient": zz.grad.tolist()}
        zw = z.clone().requires_grad_(True)
        per = F.cross_entropy(zw, t, reduction="none")
        weighted = (s * per).sum() / (n if reduction == "mean" else 1)
        weighted.backward()
        case.update({"sample_weights": s.tolist(), "weighted_value": weighted.item(), "weighted_gradient": zw.grad.tolist()})
        cases.append(case)

updates = []
for name, n, k, d in [("pll_8x5", 8, 5, 3), ("pll_12x10", 12, 10, 6)]:
    z = torch.randn(n, k, generator=G) * 2
    candidates = (torch.rand(n, k, generator=G) < 0.4).double()
    y = torch.randint(0, k, (n,), generator=G)
    candidates[torch.arange(n), y] = 1
    features = torch.relu(torch.randn(n, d, generator=G))
    weight = torch.randn(k, d, generator=G)
    bias_vector = torch.randn(k, generator=G)
    # PRODEN: revisedY = Y.clone(); revisedY[revisedY > 0] = 1; revisedY = revisedY * softmax(output); normalise
    proden = candidates * F.softmax(z, dim=1)
    proden = proden / proden.sum(1, keepdim=True)
    # RECORDS: bias = softmax(fc(feat_mean)); logits - log(bias + 1e-9)
    feat_mean = features.mean(0)
    prior = F.softmax(feat_mean @ weight.T + bias_vector, dim=0)
    records = candidates * F.softmax(z - torch.log(prior + 1e-9), dim=1)
    records = records / records.sum(1, keepdim=True)
    updates.append({"name": name, "logits": z.tolist(), "candidates": candidates.tolist(), "features": features.tolist(),
                    "head_weights": weight.T.tolist(), "head_bias": bias_vector.tolist(), "prior": prior.tolist(),
                    "proden": proden.tolist(), "records": records.tolist(),
                    "debiased_logits": (z - torch.log(prior + 1e-9)).tolist()})

print(json.dumps({"about": __doc__.strip(), "soft_target_cross_entropy": cases, "partial_label_updates": updates},
                 indent=1))
