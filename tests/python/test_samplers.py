"""The samplers against their peers: imbalanced-learn's kept rows for the deterministic ones, the
C++ tool's output for the seeded ones, scikit-learn pipelines, containers and label types."""

import csv
import os
import subprocess

import numpy as np
import pandas as pd
import pytest
from imblearn import over_sampling as imb_over
from imblearn import under_sampling as imb_under
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score

from conftest import three_classes
from imbalance import _core, combine, over_sampling, under_sampling

DETERMINISTIC = [
    ("NearMiss", {}), ("NearMiss", {"version": 2}), ("NearMiss", {"version": 3}),
    ("NearMiss", {"version": 1, "n_neighbors": 5, "sampling_strategy": "all"}),
    ("TomekLinks", {}), ("TomekLinks", {"sampling_strategy": "all"}),
    ("EditedNearestNeighbours", {}), ("EditedNearestNeighbours", {"kind_sel": "mode", "n_neighbors": 5}),
    ("RepeatedEditedNearestNeighbours", {}), ("RepeatedEditedNearestNeighbours", {"max_iter": 2}),
    ("AllKNN", {}), ("AllKNN", {"allow_minority": True}),
    ("NeighbourhoodCleaningRule", {}), ("NeighbourhoodCleaningRule", {"threshold_cleaning": 0.2}),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name, params", DETERMINISTIC)
def test_deterministic_samplers_keep_imblearns_rows(name, params, seed):
    X, y = three_classes(seed=seed)
    ours = getattr(under_sampling, name)(**params)
    theirs = getattr(imb_under, name)(**params)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    order = np.arange(len(y_theirs))
    if name == "NearMiss":
        # The same rows; imbalanced-learn lists a class's kept rows by distance, the library (every
        # sampler) in their original order.
        order = np.argsort(theirs.sample_indices_, kind="stable")
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_[order])
    np.testing.assert_array_equal(X_ours, X_theirs[order])
    np.testing.assert_array_equal(y_ours, y_theirs[order])
    assert ours.sampling_strategy_ == theirs.sampling_strategy_


@pytest.mark.parametrize("strategy", ["auto", "all", "not majority", {0: 200, 1: 300}, 0.9])
def test_sampling_strategy_resolved_as_imblearn(strategy):
    X, y = three_classes()
    if isinstance(strategy, float):
        keep = y != 2
        X, y = X[keep], y[keep]
    ours = over_sampling.RandomOverSampler(sampling_strategy=strategy, random_state=0).fit(X, y)
    theirs = imb_over.RandomOverSampler(sampling_strategy=strategy, random_state=0).fit(X, y)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    counts = np.bincount(ours.fit_resample(X, y)[1])
    expected = np.bincount(theirs.fit_resample(X, y)[1])
    np.testing.assert_array_equal(counts, expected)


def test_callable_and_string_labels():
    X, y = three_classes()
    names = np.array(["cat", "dog", "eel"], dtype=object)[y]
    sampler = over_sampling.SMOTE(sampling_strategy=lambda labels: {"cat": 400}, random_state=3)
    X_res, y_res = sampler.fit_resample(X, names)
    assert y_res.dtype == object
    assert (y_res == "cat").sum() == 400 and (y_res == "dog").sum() == (names == "dog").sum()
    with pytest.raises(ValueError, match="'sampling_strategy'.*'owl'"):
        over_sampling.SMOTE(sampling_strategy={"owl": 5}).fit_resample(X, names)


def _tool():
    tool = os.environ.get("IMBALANCE_RESAMPLE_TOOL")
    if not tool:
        pytest.skip("IMBALANCE_RESAMPLE_TOOL is not set (ctest sets it)")
    return tool


@pytest.mark.parametrize("sampler, method, flags", [
    (over_sampling.SMOTE(random_state=11), "smote", []),
    (over_sampling.BorderlineSMOTE(random_state=11, k_neighbors=4), "borderline-smote", ["-k", "4"]),
    (over_sampling.ADASYN(random_state=11), "adasyn", []),
    (under_sampling.RandomUnderSampler(random_state=11), "random-under", []),
    (over_sampling.RandomOverSampler(random_state=11), "random-over", []),
    (combine.SMOTEENN(random_state=11), "smote-enn", []),
    (under_sampling.ClusterCentroids(random_state=11), "cluster-centroids", []),
])
def test_seeded_samplers_equal_the_cpp_tool(sampler, method, flags, tmp_path):
    X, y = three_classes(n=300)
    source = tmp_path / "in.csv"
    with open(source, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"x{j}" for j in range(X.shape[1])] + ["label"])
        for row, label in zip(X, y):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])
    out = tmp_path / "out.csv"
    subprocess.run([_tool(), "-i", str(source), "-o", str(out), "-m", method, "--seed", "11"] + flags, check=True)
    tool = pd.read_csv(out, float_precision="round_trip")
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, tool["label"].to_numpy())
    np.testing.assert_allclose(X_res, tool.drop(columns="label").to_numpy(), rtol=1e-15, atol=0)


def test_smote_rows_lie_on_segments_between_same_class_neighbours():
    X, y = three_classes(n=400)
    X_out, y_out, indices, base, neighbour = _core.resample("smote", {}, "auto", X, y.astype(np.int32), 5, [], 1)
    assert indices is None
    n = len(y)
    np.testing.assert_array_equal(X_out[:n], X)
    synthetic = X_out[n:]
    assert len(base) == len(neighbour) == len(synthetic)
    assert np.all(y[base] == y[neighbour]) and np.all(y_out[n:] == y[base])
    direction = X[neighbour] - X[base]
    step = np.einsum("ij,ij->i", synthetic - X[base], direction) / np.einsum("ij,ij->i", direction, direction)
    assert np.all((step >= 0) & (step <= 1))
    np.testing.assert_allclose(synthetic, X[base] + step[:, None] * direction, atol=1e-12)
    theirs = imb_over.SMOTE(random_state=0).fit_resample(X, y)[1]
    np.testing.assert_array_equal(np.bincount(y_out), np.bincount(theirs))


@pytest.mark.parametrize("name", ["EditedNearestNeighbours", "TomekLinks", "NearMiss"])
def test_pipeline_with_a_deterministic_sampler_predicts_as_imblearns(name):
    X, y = three_classes(seed=4)
    ours = make_pipeline(getattr(under_sampling, name)(), LogisticRegression(max_iter=1000)).fit(X, y)
    theirs = make_pipeline(getattr(imb_under, name)(), LogisticRegression(max_iter=1000)).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-10)


def test_pipeline_smote_logistic_regression_cross_validation_and_grid_search():
    X, y = three_classes(seed=5)
    pipe = make_pipeline(over_sampling.SMOTE(random_state=0), LogisticRegression(max_iter=1000))
    scores = cross_val_score(pipe, X, y, cv=3, scoring="balanced_accuracy")
    assert scores.shape == (3,) and np.all(scores > 0.5)
    search = GridSearchCV(pipe, {"smote__k_neighbors": [3, 5]}, cv=3, scoring="balanced_accuracy").fit(X, y)
    assert search.best_params_["smote__k_neighbors"] in (3, 5)
    # Same seed, same pipeline: the same predictions; a clone too.
    a = pipe.fit(X, y).predict(X)
    b = clone(pipe).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)


def test_pandas_frames_keep_names_and_dtypes():
    X, y = three_classes()
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])]).astype({"f0": np.float32})
    series = pd.Series(np.array(["a", "b", "c"])[y], name="target")
    X_res, y_res = over_sampling.SMOTE(random_state=0).fit_resample(frame, series)
    assert list(X_res.columns) == list(frame.columns) and X_res.dtypes["f0"] == np.float32
    assert y_res.name == "target" and set(y_res) == {"a", "b", "c"}
    sampler = under_sampling.TomekLinks().fit(frame, series)
    np.testing.assert_array_equal(sampler.get_feature_names_out(), frame.columns.to_numpy(dtype=object))


def test_smotenc_with_string_categories():
    rng = np.random.RandomState(0)
    X, y = three_classes(n=300)
    colours = np.array(["red", "green", "blue"], dtype=object)[rng.randint(0, 3, len(y))]
    mixed = np.column_stack([X[:, :3].astype(object), colours])
    X_res, y_res = over_sampling.SMOTENC(categorical_features=[3], random_state=0).fit_resample(mixed, y)
    assert X_res.dtype == object and set(X_res[:, 3]) <= {"red", "green", "blue"}
    assert np.all(np.bincount(y_res) == np.bincount(y).max())


def test_threads_give_the_same_bits():
    X, y = three_classes(n=2000)
    one = over_sampling.SMOTE(random_state=2, n_jobs=1).fit_resample(X, y)[0]
    two = over_sampling.SMOTE(random_state=2, n_jobs=2).fit_resample(X, y)[0]
    every = over_sampling.SMOTE(random_state=2, n_jobs=-1).fit_resample(X, y)[0]
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, every)


def test_random_state_forms():
    X, y = three_classes()
    a = over_sampling.SMOTE(random_state=np.random.RandomState(7)).fit_resample(X, y)[0]
    b = over_sampling.SMOTE(random_state=np.random.RandomState(7)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    over_sampling.SMOTE(random_state=None).fit_resample(X, y)


def test_neighbours_objects():
    from sklearn.neighbors import NearestNeighbors

    X, y = three_classes()
    with_object = over_sampling.SMOTE(k_neighbors=NearestNeighbors(n_neighbors=4), random_state=1).fit_resample(X, y)
    with_int = over_sampling.SMOTE(k_neighbors=3, random_state=1).fit_resample(X, y)
    np.testing.assert_array_equal(with_object[0], with_int[0])
    with pytest.raises(ValueError, match="'k_neighbors'.*metric='cosine'"):
        over_sampling.SMOTE(k_neighbors=NearestNeighbors(n_neighbors=4, metric="cosine")).fit_resample(X, y)
