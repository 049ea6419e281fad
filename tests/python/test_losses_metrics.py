"""Losses, metrics and post-hoc corrections on NumPy arrays: against the C++ reference values
(tests/data/losses.json, from the official implementations), finite differences, scikit-learn's
and imbalanced-learn's metrics; zero-copy input and both precisions."""

import json
import os

import numpy as np
import pytest
from imblearn.metrics import geometric_mean_score as imb_gmean
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, matthews_corrcoef

from imbalance import losses, metrics, posthoc

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _batch(seed=0, n=12, k=4):
    rng = np.random.RandomState(seed)
    return rng.randn(n, k) * 2, rng.randint(0, k, n), np.array([50.0, 20.0, 5.0, 1.0])[:k]


# seesaw: its official code detaches the mitigation and compensation factors, so the gradient it
# trains with is not the derivative of its value (the C++ tests check it against that code); ib
# needs the head's features (its own test below).
@pytest.mark.parametrize("name", [n for n in losses.names() if n not in ("seesaw", "ib")])
def test_gradient_equals_finite_differences(name):
    z, y, counts = _batch()
    options = {"epochs": 10, "epoch": 9} if name == "ldam-drw" else {}
    value, grad = losses.value_and_gradient(name, z, y, counts, **options)
    assert np.isfinite(value) and grad.shape == z.shape and grad.dtype == np.float64
    h = 1e-6
    numeric = np.zeros_like(z)
    for i in range(z.shape[0]):
        for k in range(z.shape[1]):
            up, down = z.copy(), z.copy()
            up[i, k] += h
            down[i, k] -= h
            numeric[i, k] = (losses.value(name, up, y, counts, **options) -
                             losses.value(name, down, y, counts, **options)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)


def test_float32_is_computed_in_float32_and_agrees():
    z, y, counts = _batch(1)
    v64, g64 = losses.value_and_gradient("focal", z, y, counts, gamma=2.0)
    v32, g32 = losses.value_and_gradient("focal", z.astype(np.float32), y, counts, gamma=2.0)
    assert g32.dtype == np.float32
    assert abs(v32 - v64) < 1e-5 and np.max(np.abs(g32 - g64)) < 1e-5
    # Fortran order and int lists are converted, not misread.
    v_f, g_f = losses.value_and_gradient("focal", np.asfortranarray(z), list(y), counts, gamma=2.0)
    assert v_f == v64 and np.array_equal(g_f, g64)


# The reference cases (PyTorch autograd over the official formulas) as registry losses.
REFERENCE = {"cross_entropy": "ce", "logit_adjusted": "la", "balanced_softmax": "bs", "ldam": "ldam", "vs": "vs",
             "softmax_focal": "focal"}


def _as_registry(case):
    if case["reduction"] != "mean" or case["loss"] not in REFERENCE:
        return None
    options = dict(case["options"])
    name = REFERENCE[case["loss"]]
    if "normalizer" in options:
        return None
    if "cb_beta" in options:
        if name != "ce":
            return None
        name, options = "cb", {"beta": options["cb_beta"]}
    return name, options


def test_reference_values_of_the_official_implementations():
    with open(os.path.join(DATA, "losses.json")) as f:
        cases = json.load(f)["cases"]
    checked = []
    for case in cases:
        mapped = _as_registry(case)
        if mapped is None:
            continue
        name, options = mapped
        z = np.asarray(case["logits"], dtype=np.float64)
        value, grad = losses.value_and_gradient(name, z, np.asarray(case["labels"]),
                                                np.asarray(case["class_counts"], dtype=np.float64), **options)
        assert value == pytest.approx(case["value"], rel=1e-12, abs=1e-13), case["name"]
        np.testing.assert_allclose(grad, np.asarray(case["gradient"]), rtol=1e-10, atol=1e-13, err_msg=case["name"])
        checked.append(case["name"])
    assert len(checked) >= 12, checked


def test_loss_bad_input_names_the_argument():
    z, y, counts = _batch()
    with pytest.raises(ValueError, match="loss must be one of"):
        losses.value("nope", z, y, counts)
    with pytest.raises(ValueError, match="labels"):
        losses.value("ce", z, y[:-1], counts)
    with pytest.raises(ValueError, match="labels"):
        losses.value("ce", z, y.astype(float), counts)
    bad = z.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="logits"):
        losses.value("ce", bad, y, counts)
    with pytest.raises(ValueError, match="gamma"):
        losses.value("focal", z, y, counts, gamma=-1.0)
    with pytest.raises(ValueError, match=r"labels must be class indices in \[0, 4\).*got 7"):
        losses.value("ce", z, np.full_like(y, 7), counts)
    with pytest.raises(ValueError, match="features"):
        losses.value("ib", z, y, counts, epochs=2, epoch=1)
    with pytest.raises(ValueError, match="features must be a 2-d array with one row per row of logits"):
        losses.value("ib", z, y, counts, features=np.ones((3, 2)))


def test_ib_loss_with_features_against_finite_differences():
    z, y, counts = _batch(2)
    H = np.abs(np.random.RandomState(5).randn(z.shape[0], 3)) + 0.1
    value, grad, grad_h = losses.value_and_gradient("ib", z, y, counts, epochs=2, epoch=1, features=H)
    assert grad.shape == z.shape and grad_h.shape == H.shape and np.isfinite(value)
    h = 1e-6
    for array, analytic in ((z, grad), (H, grad_h)):
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            up, down = array.copy(), array.copy()
            up[index] += h
            down[index] -= h
            args_up = (up, H) if array is z else (z, up)
            args_down = (down, H) if array is z else (z, down)
            numeric[index] = (losses.value("ib", args_up[0], y, counts, epochs=2, epoch=1, features=args_up[1]) -
                              losses.value("ib", args_down[0], y, counts, epochs=2, epoch=1,
                                           features=args_down[1])) / (2 * h)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_metrics_equal_sklearn_and_imblearn():
    rng = np.random.RandomState(3)
    y = rng.choice(["a", "b", "c", "d"], 500, p=[0.6, 0.25, 0.1, 0.05])
    p = np.where(rng.rand(500) < 0.7, y, rng.choice(["a", "b", "c", "d"], 500))
    report = metrics.classification_report_dict(y, p)
    assert metrics.balanced_accuracy_score(y, p) == pytest.approx(balanced_accuracy_score(y, p), abs=1e-12)
    assert metrics.geometric_mean_score(y, p) == pytest.approx(imb_gmean(y, p), abs=1e-12)
    assert report["matthews_correlation"] == pytest.approx(matthews_corrcoef(y, p), abs=1e-12)
    np.testing.assert_array_equal(metrics.confusion_matrix(y, p), confusion_matrix(y, p))
    text = metrics.classification_report(y, p)
    assert "balanced accuracy" in text and "avg / total" in text


def test_posthoc_corrections():
    z = np.array([[2.0, 1.0, 0.5], [0.1, 0.2, 0.3]])
    counts = np.array([80.0, 15.0, 5.0])
    adjusted = posthoc.logit_adjustment(z, counts, tau=1.0)
    np.testing.assert_allclose(adjusted, z - np.log(counts / counts.sum() + 1e-12), rtol=1e-14)
    W = np.array([[3.0, 0.0], [4.0, 2.0]])
    np.testing.assert_allclose(posthoc.tau_normalize(W, 1.0), W / np.linalg.norm(W, axis=0))
