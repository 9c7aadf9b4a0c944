"""Checks for lesson 01, dataset creation: pixel scaling, split folders, class counts, loading a split."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from starter_lib.checks.core import CheckFailed, expect, returned


def check_scale_pixels(scale_pixels) -> None:
    """``scale_pixels(images, low, high)`` maps 0..255 linearly onto low..high as float32."""
    images = np.array([[0, 51], [204, 255]], dtype=np.uint8)
    kept = images.copy()
    for (low, high), want in (((0.0, 1.0), [[0, 0.2], [0.8, 1]]), ((-1.0, 1.0), [[-1, -0.6], [0.6, 1]])):
        out = np.asarray(returned(scale_pixels, images, low, high))
        expect(np.array_equal(images, kept) and images.dtype == np.uint8,
               f"scale_pixels changed its input array: it held {kept.ravel().tolist()} ({kept.dtype}), "
               f"now {images.ravel().tolist()} ({images.dtype}). Return a new array instead.")
        expect(out.shape == images.shape, f"images of shape {images.shape} came back with shape {out.shape}.")
        expect(out.dtype == np.float32, f"expected float32 pixels, got {out.dtype}.")
        expect(np.allclose(out, want, atol=1e-6),
               f"scaling to [{low}, {high}] should map 0 to {low}, 255 to {high} and everything between "
               f"on a straight line; pixels 0, 51, 204, 255 became {np.round(out.ravel(), 4).tolist()}.")


def _tree_files(root: Path) -> dict[str, dict[str, set[str]]]:
    """``{split: {class: file names}}`` of a dataset tree, files at any depth."""
    return {split.name: {cls.name: {f.name for f in cls.rglob("*") if f.is_file()}
                         for cls in sorted(split.iterdir()) if cls.is_dir()}
            for split in sorted(root.iterdir()) if split.is_dir()}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def check_split_dataset(split_dataset, raw_dir, val_fraction: float = 0.2, test_fraction: float = 0.2) -> None:
    """``split_dataset`` copies every raw image into exactly one split, stratified and seeded."""
    import tempfile

    from starter_lib.folders import SPLITS, is_image_file

    raw_dir = Path(raw_dir)
    before = _snapshot(raw_dir)
    raw = {cls.name: sorted(f.name for f in cls.iterdir() if is_image_file(f))
           for cls in sorted(raw_dir.iterdir()) if cls.is_dir()}
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for run, seed in (("a", 3), ("b", 3), ("c", 4)):
            target = Path(scratch) / run / "dataset"
            result = returned(split_dataset, raw_dir, target, val_fraction, test_fraction, seed)
            expect(Path(result) == target, f"split_dataset should return the dataset folder {target}, got {result!r}.")
            after = _snapshot(raw_dir)
            changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
            expect(not changed, f"the raw folder changed: {len(changed)} files were moved, added or edited, e.g. "
                                f"{changed[:3]}; copy the images into the dataset tree, never move or edit them.")
            trees[run] = _tree_files(target)
        _expect_split_tree(trees["a"], raw, raw_dir, Path(scratch) / "a" / "dataset", SPLITS,
                           {"val": val_fraction, "test": test_fraction})
        expect(trees["a"] == trees["b"], "two runs with seed=3 gave different splits: draw the shuffle from a "
                                         "random generator made from `seed`, and sort the file names first.")
        expect(trees["a"] != trees["c"], "seeds 3 and 4 gave the same split: is the seed used to shuffle?")


def _expect_split_tree(tree, raw, raw_dir, root, splits, fractions) -> None:
    expect(sorted(tree) == sorted(splits), f"expected the split folders {sorted(splits)}, found {sorted(tree)}.")
    for split, classes in tree.items():
        expect(sorted(classes) == sorted(raw),
               f"{split}/ holds class folders {sorted(classes)}, expected one per raw class: {sorted(raw)}.")
    for cls, names in raw.items():
        seen = {}
        for split in splits:
            for name in tree[split][cls]:
                expect(name in names, f"{split}/{cls}/{name} is not one of the images in {raw_dir / cls}.")
                expect(name not in seen, f"{cls}/{name} is in both {seen.get(name)} and {split}: "
                                         "a file in two splits leaks between them.")
                seen[name] = split
                expect((root / split / cls / name).read_bytes() == (raw_dir / cls / name).read_bytes(),
                       f"{split}/{cls}/{name} differs from the raw file: copy files unchanged.")
        missing = sorted(set(names) - set(seen))
        expect(not missing, f"{len(missing)} images of class {cls} are in no split, e.g. {missing[:3]}.")
        for split, fraction in fractions.items():
            got, want = len(tree[split][cls]), len(names) * fraction
            expect(abs(got - want) <= 1,
                   f"class {cls} has {len(names)} images, so {split} should get about {want:.1f} of them, "
                   f"it got {got}: split each class separately (stratify).")


def check_count_per_class(count_per_class, split_dir=None, expected: dict | None = None) -> None:
    """``count_per_class(split_dir)`` counts the image files of each class folder.

    Without arguments it writes a small tree of its own, with an empty class and a stray file.
    """
    import tempfile

    from starter_lib import data, folders

    if split_dir is not None:
        got = returned(count_per_class, split_dir)
        expect(isinstance(got, dict), f"expected a dict {{class name: count}}, got {type(got).__name__}.")
        expect(sorted(got) == sorted(expected),
               f"expected one entry per class folder, {sorted(expected)}, got {sorted(got)}.")
        for name, want in expected.items():
            expect(got[name] == want, f"class {name!r} holds {want} image files, you counted {got[name]}.")
        return
    with tempfile.TemporaryDirectory() as scratch:
        pictures = data.shape_images((5, 2, 7), size=16, seed=1)
        root = folders.write_class_folders(*pictures, Path(scratch) / "train")
        (root / "star").mkdir()
        (root / "README.txt").write_text("not a class\n")
        (root / "circle" / "notes.txt").write_text("not a picture\n")
        check_count_per_class(count_per_class, root, {"circle": 5, "square": 2, "triangle": 7, "star": 0})


def check_imbalance_ratio(imbalance_ratio) -> None:
    """Largest class count over smallest; infinite with an empty class; ValueError when there is no class."""
    for counts, want in (({"a": 10, "b": 5}, 2.0), ({"a": 3, "b": 3, "c": 3}, 1.0), ({"a": 7}, 1.0),
                         ({"a": 12, "b": 4, "c": 6}, 3.0), ({"a": 0, "b": 4}, math.inf)):
        got = returned(imbalance_ratio, dict(counts))
        expect(isinstance(got, (float, int, np.floating, np.integer)), f"expected a number, got {type(got).__name__}.")
        expect(got == want or math.isclose(got, want), f"counts {counts} should give a ratio of {want}, got {got}.")
    try:
        imbalance_ratio({})
    except ValueError:
        return
    except Exception as error:
        raise CheckFailed(f"an empty dict should raise ValueError, it raised {type(error).__name__}.") from error
    raise CheckFailed("an empty dict (no classes at all) should raise ValueError, it raised nothing.")


def _write_split_tree(root: Path, shapes: tuple[str, ...]) -> None:
    """Three splits of freshly drawn shape pictures: a tree the learner has never seen."""
    from starter_lib import data, folders

    for seed, (split, count) in enumerate((("train", 12), ("val", 4), ("test", 4))):
        pictures = data.shape_images(count, size=20, shapes=shapes, seed=seed)
        folders.write_class_folders(*pictures, root / split)


def check_load_split(load_split, dataset_dir=None, image_size=(16, 16), batch_size: int = 5) -> None:
    """``load_split`` loads one split with the requested size, batch and label mode; only train is shuffled.

    Without ``dataset_dir`` it writes a three-class and a two-class tree of its own.
    """
    import tempfile

    if dataset_dir is not None:
        for split in ("train", "val", "test"):
            for mode in ("int", "categorical"):
                _expect_loaded(load_split, Path(dataset_dir), split, image_size, batch_size, mode)
        return
    with tempfile.TemporaryDirectory() as scratch:
        three, two = Path(scratch) / "three", Path(scratch) / "two"
        _write_split_tree(three, ("circle", "square", "triangle"))
        _write_split_tree(two, ("square", "star"))
        check_load_split(load_split, three, image_size, batch_size)
        for split in ("train", "test"):
            _expect_loaded(load_split, two, split, image_size, batch_size, "binary")


def _expect_loaded(load_split, root: Path, split: str, image_size, batch_size: int, mode: str) -> None:
    import tensorflow as tf

    dataset = returned(load_split, root, split, image_size, batch_size, mode)
    where = f"load_split(..., {split!r}, {tuple(image_size)}, {batch_size}, {mode!r})"
    expect(isinstance(dataset, tf.data.Dataset), f"{where} returned a {type(dataset).__name__}, not a tf.data.Dataset.")
    classes = sorted(p.name for p in (root / split).iterdir() if p.is_dir())
    expect(getattr(dataset, "class_names", None) == classes,
           f"{where}: expected class_names {classes}, got {getattr(dataset, 'class_names', None)}.")
    image_spec, label_spec = dataset.element_spec
    want = (None, *image_size, 3)
    expect(tuple(image_spec.shape) == want, f"{where}: expected image batches of shape {want}, got {tuple(image_spec.shape)}.")
    label_shapes = {"int": (None,), "categorical": (None, len(classes)), "binary": (None, 1)}
    expect(tuple(label_spec.shape) == label_shapes[mode],
           f"{where}: label_mode {mode!r} gives labels of shape {label_shapes[mode]}, got {tuple(label_spec.shape)}.")
    passes = [np.concatenate([np.asarray(y).reshape(len(y), -1).argmax(-1) if mode == "categorical"
                              else np.asarray(y).ravel() for _, y in dataset]) for _ in range(2)]
    first = next(iter(dataset))[0]
    expect(len(first) == batch_size, f"{where}: the first batch holds {len(first)} images, expected {batch_size}.")
    in_order = bool(np.all(np.diff(passes[0]) >= 0)) and np.array_equal(*passes)
    if split == "train":
        expect(not in_order, f"{where}: the training images come out in folder order; shuffle the training split.")
    else:
        expect(in_order, f"{where}: the {split} images come out shuffled; keep validation and test in a "
                         "fixed order so predictions line up with files.")

