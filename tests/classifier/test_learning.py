"""Learning from the owner's labels: verdicts change, unchanged labels never retrain."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from netiquette.classifier import GENERIC, PERSONAL, Classifier, get_classifier
from netiquette.classifier.model import FORMAT_VERSION, LearnedModel

# A pitch with none of the built-in outreach phrasing: the built-in signals call it personal.
PITCH = (
    "Hey {n}, the bakery supply cooperative in {c} has spare oven slots this winter, ask me how."
)
OWNER_LABELS = [
    (PITCH.format(n=n, c=c), GENERIC)
    for n, c in [("Jo", "Leeds"), ("Sam", "York"), ("Ali", "Hull"), ("Bea", "Bath")]
]


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    return tmp_path / "models" / "classifier.npz"


def test_labels_change_a_verdict(model_path: Path) -> None:
    clf = Classifier()
    labelled = OWNER_LABELS[0][0]
    unseen = PITCH.format(n="Tim", c="Derby")
    before, before_unseen = clf.judge_text(labelled), clf.judge_text(unseen)
    assert before.label == PERSONAL

    assert clf.learn(OWNER_LABELS, model_path) is True
    after = clf.judge_text(labelled)
    assert after.label == GENERIC
    assert "you marked this note as generic before" in after.reasons
    assert clf.judge_text(unseen).score > before_unseen.score

    # a new classifier reading the saved model judges the same way
    assert get_classifier(model_path).judge_text(labelled).label == GENERIC


def test_model_still_follows_the_signals_elsewhere(model_path: Path) -> None:
    clf = Classifier()
    clf.learn(OWNER_LABELS, model_path)
    assert clf.judge_text("").reasons == ("empty note",)
    v = clf.judge_text("Great chatting with you at the PMI Cleveland dinner last night!")
    assert v.label == PERSONAL
    assert "mentions a shared event: 'PMI Cleveland dinner'" in v.reasons
    assert (
        clf.judge_text("I'd like to add you to my professional network on LinkedIn.").label
        == GENERIC
    )


def test_unchanged_labels_do_not_retrain(model_path: Path) -> None:
    assert Classifier().learn(OWNER_LABELS, model_path) is True
    stamp = model_path.stat().st_mtime_ns
    content = model_path.read_bytes()
    # same labels in another order, on a fresh classifier: nothing to do
    assert Classifier(model_path).learn(list(reversed(OWNER_LABELS)), model_path) is False
    assert model_path.stat().st_mtime_ns == stamp
    assert model_path.read_bytes() == content
    # one changed label: trains again
    changed = OWNER_LABELS[:-1] + [(OWNER_LABELS[-1][0], PERSONAL)]
    assert Classifier(model_path).learn(changed, model_path) is True


def test_model_file_has_format_version_and_no_leftovers(model_path: Path) -> None:
    Classifier().learn(OWNER_LABELS, model_path)
    with zipfile.ZipFile(model_path) as zf:
        assert {"coef_words.npy", "coef_signals.npy", "meta.npy"} <= set(zf.namelist())
    with np.load(model_path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode())
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["n_labels"] == len(OWNER_LABELS)
    assert [p.name for p in model_path.parent.iterdir()] == [model_path.name]


def test_save_is_atomic(model_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Classifier().learn(OWNER_LABELS, model_path)
    good = model_path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        Classifier().learn(OWNER_LABELS[:2], model_path)
    assert model_path.read_bytes() == good  # the old model is intact
    assert [p.name for p in model_path.parent.iterdir()] == [model_path.name]  # no temp file


def test_other_format_version_is_ignored(model_path: Path) -> None:
    Classifier().learn(OWNER_LABELS, model_path)
    model = LearnedModel.load(model_path)
    assert model is not None
    with np.load(model_path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta"]).decode())
        arrays = {k: data[k] for k in ("coef_words", "coef_signals")}
    meta["format_version"] = FORMAT_VERSION + 1
    with open(model_path, "wb") as fh:
        np.savez(fh, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)
    assert LearnedModel.load(model_path) is None
    clf = Classifier(model_path)
    assert clf.model is None  # the built-in signals decide
    assert clf.judge_text(OWNER_LABELS[0][0]).label == PERSONAL
    assert clf.learn(OWNER_LABELS, model_path) is True  # and learning replaces it


def test_garbage_model_file_is_ignored(model_path: Path) -> None:
    model_path.parent.mkdir(parents=True)
    model_path.write_bytes(b"not a model")
    assert Classifier(model_path).judge_text("Hi").label == GENERIC


def test_bad_label_is_refused(model_path: Path) -> None:
    with pytest.raises(ValueError, match="generic' or 'personal"):
        Classifier().learn([("hello", "spam")], model_path)
    assert not model_path.exists()
