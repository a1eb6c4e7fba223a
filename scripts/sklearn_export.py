#!/usr/bin/env python3
"""Moves fitted models between scikit-learn and latentspace (docs/interop.md).

Standard library, NumPy and scikit-learn only (joblib, which scikit-learn depends on, reads
the CLI's model files; plain pickles work without it). Shipped in the repository, not in
the npm package.

scikit-learn -> latentspace::

    python3 scripts/sklearn_export.py model.joblib > model.json

    from sklearn_export import to_latentspace
    json.dump(to_latentspace(PCA(20).fit(X)), open("model.json", "w"))

then, in JavaScript, ``pca.fromSklearn(text)`` (``kmeans.fromSklearn``, ``omp.fromSklearn``,
``ksvd.fromSklearn`` alike).

latentspace -> scikit-learn (a PCA or k-means model saved with ``toJSON``)::

    python3 scripts/sklearn_export.py --to-sklearn model.json model.joblib

    from sklearn_export import from_latentspace
    pca = from_latentspace(open("model.json").read())   # a fitted sklearn PCA

The export is a JSON object ``{"kind": "sklearn", "format": 1, "estimator": "PCA",
"sklearn_version": ..., "params": {...}, "attributes": {...}}``: ``params`` holds the
estimator's JSON-representable ``get_params()``, ``attributes`` its fitted attributes under
scikit-learn's own names. Arrays use latentspace's typed-array encoding (src/core/json.ts):
``{"$typed": "Float64Array", "base64": <little-endian bytes>}``, so float32 stays float32 and
every value comes back bit for bit; a 2-D array is ``{"rows", "cols", "data": <typed>}``,
row-major, the layout of a latentspace Matrix.
"""
import argparse
import base64
import json
import math
import pickle
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import (
    PCA,
    DictionaryLearning,
    IncrementalPCA,
    MiniBatchDictionaryLearning,
)
from sklearn.linear_model import Lasso, OrthogonalMatchingPursuit

FORMAT = 1
TAG = "$typed"

# Fitted attributes carried per estimator: (required, optional). Exact classes only: a
# subclass may change what an attribute means, so it is refused rather than guessed at.
ATTRIBUTES = {
    PCA: (
        ["components_", "mean_", "explained_variance_", "explained_variance_ratio_",
         "singular_values_", "noise_variance_", "n_components_", "n_samples_", "n_features_in_"],
        ["_fit_svd_solver"],
    ),
    IncrementalPCA: (
        ["components_", "mean_", "var_", "explained_variance_", "explained_variance_ratio_",
         "singular_values_", "noise_variance_", "n_components_", "n_samples_seen_", "n_features_in_"],
        ["batch_size_"],
    ),
    KMeans: (
        ["cluster_centers_", "labels_", "inertia_", "n_iter_", "n_features_in_"],
        ["_algorithm"],
    ),
    MiniBatchKMeans: (
        ["cluster_centers_", "inertia_", "n_steps_", "n_features_in_"],
        # n_iter_ counts passes over the data, which a model from latentspace does not know.
        ["n_iter_", "labels_", "_counts"],
    ),
    Lasso: (["coef_", "intercept_", "n_features_in_"], ["n_iter_", "dual_gap_"]),
    OrthogonalMatchingPursuit: (
        ["coef_", "intercept_", "n_features_in_"],
        ["n_iter_", "n_nonzero_coefs_"],
    ),
    DictionaryLearning: (["components_", "n_iter_", "n_features_in_"], ["error_"]),
    MiniBatchDictionaryLearning: (["components_", "n_iter_", "n_features_in_"], ["n_steps_"]),
}
BY_NAME = {cls.__name__: cls for cls in ATTRIBUTES}

# NumPy dtype -> latentspace's typed-array tag (src/core/json.ts).
TYPED = {
    np.dtype("float64"): "Float64Array",
    np.dtype("float32"): "Float32Array",
    np.dtype("int32"): "Int32Array",
    np.dtype("uint32"): "Uint32Array",
    np.dtype("int16"): "Int16Array",
    np.dtype("uint16"): "Uint16Array",
    np.dtype("int8"): "Int8Array",
    np.dtype("uint8"): "Uint8Array",
}
FROM_TAG = {tag: dtype for dtype, tag in TYPED.items()}
FROM_TAG["Uint8ClampedArray"] = np.dtype("uint8")


def encode_array(a, name):
    """One array in latentspace's JSON encoding: typed (1-D) or a Matrix (2-D)."""
    a = np.asarray(a)
    if a.dtype == np.int64 or a.dtype == np.uint64:
        # Labels and counts: JavaScript has no 64-bit typed array in our encoding.
        if a.size and (a.min() < -(2**31) or a.max() >= 2**31):
            raise ValueError(f"{name}: integers beyond the int32 range cannot be exported")
        a = a.astype(np.int32)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    if a.dtype not in TYPED:
        raise ValueError(f"{name}: arrays of dtype {a.dtype} cannot be exported")
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: holds NaN or infinite values")
    typed = {TAG: TYPED[a.dtype], "base64": base64.b64encode(
        np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()).decode("ascii")}
    if a.ndim == 1:
        return typed
    if a.ndim == 2:
        return {"rows": int(a.shape[0]), "cols": int(a.shape[1]), "data": typed}
    raise ValueError(f"{name}: {a.ndim}-D arrays cannot be exported")


def encode_value(value, name):
    """A fitted attribute: a JSON scalar, a string, or an array."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{name}: is {value}, expected a finite number")
        return float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        a = np.asarray(value)
        return encode_value(a.item(), name) if a.ndim == 0 else encode_array(a, name)
    raise ValueError(f"{name}: a {type(value).__name__} cannot be exported")


def json_params(estimator):
    """The parameters JSON can hold; callables, arrays and random states are left out."""
    out = {}
    for key, value in estimator.get_params(deep=False).items():
        if value is None or isinstance(value, (bool, str)):
            out[key] = value
        elif isinstance(value, (int, np.integer)):
            out[key] = int(value)
        elif isinstance(value, (float, np.floating)) and math.isfinite(value):
            out[key] = float(value)
    return out


def to_latentspace(estimator):
    """A fitted scikit-learn estimator as a JSON-ready dict for latentspace's ``fromSklearn``.

    Accepts PCA, IncrementalPCA, KMeans, MiniBatchKMeans, Lasso, OrthogonalMatchingPursuit,
    DictionaryLearning and MiniBatchDictionaryLearning. ``json.dumps`` of the result is the
    file to load; dtypes are kept (float32 stays float32).
    """
    cls = type(estimator)
    if cls not in ATTRIBUTES:
        names = ", ".join(sorted(BY_NAME))
        raise TypeError(f"cannot export a {cls.__name__}; expected one of {names}")
    required, optional = ATTRIBUTES[cls]
    missing = [a for a in required if not hasattr(estimator, a)]
    if missing:
        raise ValueError(f"{cls.__name__} is not fitted (no {', '.join(missing)}); call fit first")
    attributes = {}
    for name in required + [a for a in optional if hasattr(estimator, a)]:
        attributes[name] = encode_value(getattr(estimator, name), name)
    return {
        "kind": "sklearn",
        "format": FORMAT,
        "estimator": cls.__name__,
        "sklearn_version": sklearn.__version__,
        "params": json_params(estimator),
        "attributes": attributes,
    }


# --- latentspace -> scikit-learn --------------------------------------------------------

def decode(value):
    """Typed arrays back to NumPy arrays and Matrices to 2-D arrays, recursively."""
    if isinstance(value, dict):
        if TAG in value:
            dtype = FROM_TAG.get(value[TAG])
            if dtype is None or not isinstance(value.get("base64"), str):
                raise ValueError(f"unknown typed array tag {value[TAG]!r}")
            raw = base64.b64decode(value["base64"], validate=True)
            return np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype)
        out = {k: decode(v) for k, v in value.items()}
        if set(out) == {"rows", "cols", "data"} and isinstance(out["data"], np.ndarray):
            rows, cols = out["rows"], out["cols"]
            if out["data"].size != rows * cols:
                raise ValueError(f"a {rows} x {cols} matrix holds {out['data'].size} values")
            return out["data"].reshape(rows, cols)
        return out
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def field(model, name, kind, shape=None):
    """model[name], checked: kind 'array' (with an optional shape), 'int', 'number', 'bool', 'str'."""
    if name not in model:
        raise ValueError(f"model.{name}: missing")
    v = model[name]
    if kind == "array":
        if not isinstance(v, np.ndarray) or v.dtype.kind != "f":
            raise ValueError(f"model.{name}: expected a Float32Array or Float64Array")
        if shape is not None and v.shape != shape:
            raise ValueError(f"model.{name}: shape {v.shape}, expected {shape}")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"model.{name}: holds NaN or infinite values")
    elif kind == "int" and not (isinstance(v, int) and not isinstance(v, bool)):
        raise ValueError(f"model.{name}: {v!r}, expected an integer")
    elif kind == "number" and not (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)):
        raise ValueError(f"model.{name}: {v!r}, expected a finite number")
    elif kind == "bool" and not isinstance(v, bool):
        raise ValueError(f"model.{name}: {v!r}, expected a boolean")
    elif kind == "str" and not isinstance(v, str):
        raise ValueError(f"model.{name}: {v!r}, expected a string")
    return v


# Our solver names -> scikit-learn's (1.2 has no covariance-eigenvalue solver; its
# components are those of an exact SVD, as 'full' computes).
SVD_SOLVER = {"full": "full", "covariance": "full", "incremental": "full", "randomized": "randomized"}


def pca_from_latentspace(m):
    components = field(m, "components", "array")
    k, d = components.shape
    whiten = field(m, "whiten", "bool")
    solver = field(m, "solver", "str")
    if solver not in SVD_SOLVER:
        raise ValueError(f"model.solver: {solver!r}, expected one of {sorted(SVD_SOLVER)}")
    est = PCA(n_components=k, whiten=whiten, svd_solver=SVD_SOLVER[solver])
    est.components_ = components
    est.mean_ = field(m, "mean", "array", (d,))
    for ours, theirs in [("explainedVariance", "explained_variance_"),
                         ("explainedVarianceRatio", "explained_variance_ratio_"),
                         ("singularValues", "singular_values_")]:
        setattr(est, theirs, field(m, ours, "array", (k,)))
    est.noise_variance_ = np.float64(field(m, "noiseVariance", "number"))
    est.n_components_ = k
    est.n_samples_ = field(m, "nSamples", "int")
    est.n_features_in_ = field(m, "nFeatures", "int")
    if est.n_features_in_ != d:
        raise ValueError(f"model.nFeatures: {est.n_features_in_}, expected {d} (components' columns)")
    est._fit_svd_solver = SVD_SOLVER[solver]
    return est


def kmeans_from_latentspace(m):
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    centres = field(m, "centroids", "array")
    k, d = centres.shape
    algorithm = field(m, "algorithm", "str")
    if algorithm not in ("lloyd", "elkan", "hamerly", "minibatch"):
        raise ValueError(f"model.algorithm: {algorithm!r}, expected lloyd, elkan, hamerly or minibatch")
    labels = m.get("labels")
    if not isinstance(labels, np.ndarray) or labels.dtype != np.int32:
        raise ValueError("model.labels: expected an Int32Array")
    counts = field(m, "counts", "array", (k,))
    if algorithm == "minibatch":
        est = MiniBatchKMeans(n_clusters=k)
        est._counts = counts.astype(centres.dtype)
        est.n_steps_ = field(m, "nIter", "int")
    else:
        # scikit-learn has no Hamerly: Lloyd's iterations reach the same fixed points.
        est = KMeans(n_clusters=k, algorithm="elkan" if algorithm == "elkan" else "lloyd")
        est._algorithm = est.algorithm
        est.n_iter_ = field(m, "nIter", "int")
    est.cluster_centers_ = centres
    est.labels_ = labels
    est.inertia_ = float(field(m, "inertia", "number"))
    est.n_features_in_ = d
    est._n_features_out = k
    est._n_threads = _openmp_effective_n_threads()
    if algorithm == "minibatch":
        minibatch_state(est)
    return est


def minibatch_state(est):
    """The private state MiniBatchKMeans.partial_fit reads, as after a fit."""
    est._batch_size = getattr(est, "_batch_size", est.batch_size)
    est._n_since_last_reassign = getattr(est, "_n_since_last_reassign", 0)
    if not hasattr(est, "_counts"):  # an export without it: no step taken yet
        est._counts = np.zeros(est.cluster_centers_.shape[0], dtype=est.cluster_centers_.dtype)


def sklearn_from_export(e):
    """An export of ``to_latentspace`` back to the estimator (PCA, IncrementalPCA, KMeans, MiniBatchKMeans)."""
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    name = e.get("estimator")
    if name not in ("PCA", "IncrementalPCA", "KMeans", "MiniBatchKMeans"):
        raise ValueError(f"estimator: {name!r}, expected PCA, IncrementalPCA, KMeans or MiniBatchKMeans")
    cls = BY_NAME[name]
    valid = cls().get_params()
    est = cls(**{k: v for k, v in e.get("params", {}).items() if k in valid})
    for attr, value in e["attributes"].items():
        setattr(est, attr, value)
    if name in ("KMeans", "MiniBatchKMeans"):
        est._n_threads = _openmp_effective_n_threads()
        est._n_features_out = est.cluster_centers_.shape[0]
    if name == "MiniBatchKMeans":
        minibatch_state(est)
    return est


def from_latentspace(model):
    """A latentspace model (the text of ``toJSON``, or that text parsed) as a fitted estimator.

    ``kind: 'pca'`` gives a PCA, ``kind: 'kmeans'`` a KMeans (a MiniBatchKMeans for a
    mini-batch model); an export of :func:`to_latentspace` gives its estimator back.
    Arrays keep their dtype. Raises ValueError naming the field that is wrong.
    """
    if isinstance(model, (str, bytes)):
        model = json.loads(model)
    m = decode(model)
    if not isinstance(m, dict):
        raise ValueError("model: expected a JSON object")
    kind = m.get("kind")
    if kind == "pca":
        return pca_from_latentspace(m)
    if kind == "kmeans":
        return kmeans_from_latentspace(m)
    if kind == "sklearn":
        return sklearn_from_export(m)
    raise ValueError(f"model.kind: {kind!r}, expected 'pca', 'kmeans' or 'sklearn'")


# --- command line -----------------------------------------------------------------------

def read_estimator(path):
    try:
        import joblib
    except ImportError:  # scikit-learn needs joblib, but a plain pickle needs nothing
        with open(path, "rb") as f:
            return pickle.load(f)
    return joblib.load(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a joblib/pickle file of a fitted estimator (or, with --to-sklearn, a latentspace JSON)")
    parser.add_argument("out", nargs="?", help="with --to-sklearn: the joblib file to write")
    parser.add_argument("--to-sklearn", action="store_true", help="read a latentspace JSON model and write a fitted scikit-learn estimator")
    args = parser.parse_args(argv)
    if args.to_sklearn:
        if args.out is None:
            parser.error("--to-sklearn needs an output file")
        with open(args.model, encoding="utf-8") as f:
            estimator = from_latentspace(f.read())
        try:
            import joblib
            joblib.dump(estimator, args.out)
        except ImportError:
            with open(args.out, "wb") as f:
                pickle.dump(estimator, f)
        return 0
    json.dump(to_latentspace(read_estimator(args.model)), sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
