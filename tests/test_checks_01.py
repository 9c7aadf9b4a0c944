"""starter_lib.checks.lesson01: right answers pass, each typical fault is named."""

import math
import random
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest
from check_tools import fails

from starter_lib import checks, data, folders


def scale(images, low=0.0, high=1.0):
    return np.interp(np.asarray(images, np.float32), [0, 255], [low, high]).astype(np.float32)


def test_scale_pixels_right_and_wrong():
    checks.check_scale_pixels(scale)
    fails(checks.check_scale_pixels, lambda x, low=0, high=1: np.asarray(x) / 255, match="expected float32")
    fails(checks.check_scale_pixels, lambda x, low=0, high=1: scale(x), match=r"scaling to \[-1.0, 1.0\]")

    def in_place(x, low=0, high=1):
        out = scale(x, low, high)
        x[...] = 0
        return out

    fails(checks.check_scale_pixels, in_place, match="changed its input")


def copy_split(raw_dir, dataset_dir, val_fraction, test_fraction, seed, stratify=True, move=False):
    """A reference split; the flags switch on the faults a learner might make."""
    raw_dir, dataset_dir = Path(raw_dir), Path(dataset_dir)
    chooser = random.Random(seed)
    classes = sorted(d for d in raw_dir.iterdir() if d.is_dir())
    groups = [[f for f in sorted(d.iterdir()) if folders.is_image_file(f)] for d in classes]
    if not stratify:
        groups = [[f for group in groups for f in group]]
    for group in groups:
        chooser.shuffle(group)
        cut_test, cut_val = round(len(group) * test_fraction), round(len(group) * (test_fraction + val_fraction))
        for index, file in enumerate(group):
            split = "test" if index < cut_test else "val" if index < cut_val else "train"
            (shutil.move if move else shutil.copy)(file, dataset_dir / split / file.parent.name / file.name)
    return dataset_dir


def prepared(function):
    """Create every split/class folder first, then call ``function``."""
    def run(raw_dir, dataset_dir, *args):
        for split in folders.SPLITS:
            for cls in (d for d in Path(raw_dir).iterdir() if d.is_dir()):
                (Path(dataset_dir) / split / cls.name).mkdir(parents=True, exist_ok=True)
        return function(raw_dir, dataset_dir, *args)
    return run


@pytest.fixture
def lopsided_raw(tmp_path):
    return folders.write_class_folders(*data.shape_images((30, 12, 5), size=16, seed=3), tmp_path / "raw")


def test_a_stratified_seeded_copy_passes(lopsided_raw):
    checks.check_split_dataset(prepared(copy_split), lopsided_raw, 0.2, 0.2)


def test_split_faults_are_named(lopsided_raw):
    fails(checks.check_split_dataset, prepared(lambda *a: copy_split(*a, stratify=False)), lopsided_raw,
          match="split each class separately")
    fails(checks.check_split_dataset, prepared(lambda r, d, v, t, s: copy_split(r, d, v, t, None)), lopsided_raw,
          match="two runs with seed=3 gave different splits")
    fails(checks.check_split_dataset, prepared(lambda r, d, v, t, s: copy_split(r, d, v, t, 0)), lopsided_raw,
          match="seeds 3 and 4 gave the same split")
    fails(checks.check_split_dataset, prepared(lambda *a: str(copy_split(*a)) + "/train"), lopsided_raw,
          match="should return the dataset folder")
    fails(checks.check_split_dataset, prepared(lambda *a: copy_split(*a, move=True)), lopsided_raw,
          match="the raw folder changed")  # last: it empties the raw folder


def test_a_split_that_copies_stray_files_is_caught(lopsided_raw):
    (lopsided_raw / "circle" / "notes.txt").write_text("not a picture")

    def copies_everything(raw_dir, dataset_dir, *args):
        result = copy_split(raw_dir, dataset_dir, *args)
        shutil.copy(Path(raw_dir) / "circle" / "notes.txt", Path(dataset_dir) / "train" / "circle")
        return result

    fails(checks.check_split_dataset, prepared(copies_everything), lopsided_raw, match="notes.txt is not one of")


def count(split_dir):
    return {d.name: len([f for f in d.rglob("*") if folders.is_image_file(f)])
            for d in Path(split_dir).iterdir() if d.is_dir()}


def test_count_per_class_right_and_wrong(tmp_path):
    checks.check_count_per_class(count)
    fails(checks.check_count_per_class, lambda d: {k: v for k, v in count(d).items() if v}, match="one entry per class")
    fails(checks.check_count_per_class,
          lambda d: {p.name: len(list(p.iterdir())) for p in Path(d).iterdir() if p.is_dir()},
          match="class 'circle' holds 5 image files, you counted 6")
    tree = folders.write_class_folders(*data.shape_images((4, 2, 3), size=16), tmp_path / "t")
    (tree / "circle" / "more").mkdir()
    shutil.copy(tree / "circle" / "circle_0001.png", tree / "circle" / "more" / "x.png")
    checks.check_count_per_class(count, tree, {"circle": 5, "square": 2, "triangle": 3})
    top_level_only = lambda d: {p.name: len([f for f in p.iterdir() if folders.is_image_file(f)])  # noqa: E731
                                for p in Path(d).iterdir() if p.is_dir()}
    fails(checks.check_count_per_class, top_level_only, tree, {"circle": 5, "square": 2, "triangle": 3},
          match="class 'circle' holds 5 image files, you counted 4")


def ratio(counts):
    if not counts:
        raise ValueError("no classes")
    values = sorted(counts.values())
    return values[-1] / values[0] if values[0] else math.inf


def test_imbalance_ratio_right_and_wrong():
    checks.check_imbalance_ratio(ratio)
    fails(checks.check_imbalance_ratio, lambda c: min(c.values()) / max(c.values()), match="should give a ratio of 2.0")
    fails(checks.check_imbalance_ratio, lambda c: max(c.values()) / max(min(c.values()), 1),
          match="should give a ratio of inf")

    def no_error(counts):
        return ratio(counts) if counts else 0.0

    fails(checks.check_imbalance_ratio, no_error, match="should raise ValueError, it raised nothing")


def load(dataset_dir, split, image_size, batch_size, label_mode, shuffle=None):
    return keras.utils.image_dataset_from_directory(
        Path(dataset_dir, split), label_mode=label_mode, image_size=image_size, batch_size=batch_size,
        shuffle=(split == "train") if shuffle is None else shuffle, seed=1, verbose=False)


def test_load_split_right_and_wrong():
    checks.check_load_split(load)
    fails(checks.check_load_split, lambda *a: load(*a, shuffle=True), match="come out shuffled")
    fails(checks.check_load_split, lambda *a: load(*a, shuffle=False), match="come out in folder order")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, (32, 32), b, m),
          match=r"expected image batches of shape \(None, 16, 16, 3\)")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, size, b, "int"),
          match="label_mode 'categorical' gives labels of shape")
    fails(checks.check_load_split, lambda d, s, size, b, m: load(d, s, size, 32, m), match="first batch holds")

