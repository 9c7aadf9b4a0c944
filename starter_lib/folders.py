"""Image-folder datasets: write raw class folders, inspect a tree, move bad files aside, load it.

The layout is the one ``keras.utils.image_dataset_from_directory`` reads: one
folder per class, named after the class::

    DATASET/train/<class>/<image files>
    DATASET/val/<class>/...
    DATASET/test/<class>/...

Real folders are messy. :func:`validate_tree` reports every fault with its path
and keeps going; :func:`quarantine` moves the files that would stop a training
run out of the tree; :func:`load_tree` loads the three splits once the tree is sound.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # what the Keras loader reads
SPLITS = ("train", "val", "test")
LABEL_MODES = ("int", "categorical", "binary")
PROBLEM_KINDS = (
    "missing split", "stray file", "empty class", "class mismatch", "nested folder",
    "not an image", "corrupt image", "truncated image", "odd size", "odd channels", "duplicate",
)
UNLOADABLE = ("corrupt image", "truncated image")  # the kinds that crash a training run
ALL_CLASSES = "all"  # the group name of a tree that holds class folders but no splits


def is_image_file(path: str | Path) -> bool:
    """True for a file whose extension the Keras loader reads as an image (any letter case)."""
    path = Path(path)
    return path.is_file() and path.suffix.lower() in IMAGE_EXTENSIONS


def write_class_folders(images, labels, class_names: Sequence[str], folder: str | Path,
                        overwrite: bool = False) -> Path:
    """Save each image as a PNG file in ``folder/<class name>/``; return the folder.

    This is how raw photos usually arrive: one folder per class, not split yet.
    Files are named ``<class name>_<number>.png``, numbered from 1 within each class.
    ``images`` are ``uint8`` arrays of shape ``(n, height, width)`` or
    ``(n, height, width, channels)``; ``labels`` index ``class_names``. A folder
    that already holds files is refused, unless ``overwrite`` deletes it first.
    """
    from PIL import Image

    images, labels = np.asarray(images), np.asarray(labels)
    if images.dtype != np.uint8 or images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError("expected a non-empty uint8 array of shape (n, height, width) or "
                         f"(n, height, width, channels), got {images.dtype} of shape {images.shape}.")
    if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"expected one integer label per image ({len(images)}), got {labels.dtype} "
                         f"of shape {labels.shape}.")
    if labels.min() < 0 or labels.max() >= len(class_names):
        raise ValueError(f"labels must lie in 0..{len(class_names) - 1} to index class_names, "
                         f"got {labels.min()}..{labels.max()}.")
    bad_names = [name for name in class_names if not name or Path(name).name != name or name.startswith(".")]
    if bad_names:
        raise ValueError(f"class names become folder names; these cannot: {bad_names}.")
    folder = Path(folder)
    if overwrite and folder.is_dir():
        shutil.rmtree(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} already holds files; write into a new folder, delete it first "
                              "or pass overwrite=True.")
    numbers = Counter()
    for name in class_names:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for image, label in zip(images, labels):
        name = class_names[label]
        numbers[name] += 1
        pixels = image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image
        Image.fromarray(pixels).save(folder / name / f"{name}_{numbers[name]:04d}.png")
    return folder


def add_faults(folder: str | Path) -> dict[str, Path]:
    """Plant one of each fault real image folders suffer from; return ``{kind: path}``.

    ``folder`` holds class folders (a raw tree, or one split of a dataset tree)
    and its first class folder holds at least one readable image. Meant for
    practice: it shows what :func:`validate_tree` reports.
    """
    from PIL import Image

    folder = Path(folder)
    classes = sorted(path for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []
    donors = sorted(path for path in classes[0].iterdir() if is_image_file(path)) if classes else []
    if not donors:
        raise ValueError(f"expected class folders in {folder}, the first holding an image; found none.")
    donor = donors[0]
    with Image.open(donor) as image:
        pixels = np.asarray(image)
    first, last = classes[0], classes[-1]
    planted = {
        "stray file": folder / "labels.csv",
        "empty class": folder / "unused_class",
        "not an image": first / "notes.txt",
        "corrupt image": first / "corrupt.png",
        "truncated image": last / f"truncated{donors[0].suffix.lower()}",
        "nested folder": last / "more",
        "odd size": first / "odd_size.png",
        "odd channels": first / "odd_channels.png",
    }
    planted["stray file"].write_text("file,label\n")
    planted["empty class"].mkdir()
    planted["not an image"].write_text("sorted by hand, second batch\n")
    planted["corrupt image"].write_bytes(np.random.default_rng(0).integers(0, 256, 400, dtype=np.uint8).tobytes())
    planted["truncated image"].write_bytes(donor.read_bytes()[: donor.stat().st_size // 2])
    planted["nested folder"].mkdir()
    Image.fromarray(pixels[:, ::-1]).save(planted["nested folder"] / "mirrored.png")
    Image.fromarray(np.ascontiguousarray(pixels[::2, ::2])).save(planted["odd size"])
    other = pixels.mean(axis=-1).astype(np.uint8) if pixels.ndim == 3 else np.stack([pixels] * 3, axis=-1)
    Image.fromarray(other).save(planted["odd channels"])
    return planted


@dataclass(frozen=True)
class Problem:
    """One fault in an image tree: its kind (see ``PROBLEM_KINDS``), where, and why."""

    kind: str
    path: Path
    detail: str


@dataclass
class TreeReport:
    """What :func:`validate_tree` found.

    ``counts`` maps each split (``"all"`` for a tree without splits) to
    ``{class name: readable images}``; ``shapes`` counts ``(height, width,
    channels)``; ``problems`` lists every fault, in the order found.
    """

    root: Path
    counts: dict[str, dict[str, int]]
    shapes: Counter
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def paths(self, *kinds: str) -> list[Path]:
        """Paths of the problems of the given kinds (all kinds when none are given)."""
        _check_kinds(kinds)
        return [p.path for p in self.problems if not kinds or p.kind in kinds]

    def __str__(self) -> str:
        classes = sorted({name for counts in self.counts.values() for name in counts})
        width = max([len(name) for name in classes] + [5])
        lines = [f"Image tree {self.root}: {len(classes)} classes, "
                 f"{sum(sum(c.values()) for c in self.counts.values())} readable images"]
        lines.append(" " * 8 + "".join(f"{name:>{width + 2}}" for name in classes))
        for group, counts in self.counts.items():
            lines.append(f"{group:<8}" + "".join(f"{counts.get(name, '-'):>{width + 2}}" for name in classes))
        shapes = ", ".join(f"{h}x{w}x{c} ({n})" for (h, w, c), n in self.shapes.most_common())
        lines.append(f"Image shapes (height x width x channels): {shapes or 'none'}")
        lines.append(f"{len(self.problems)} problems" + (":" if self.problems else "."))
        for problem in self.problems[:30]:
            lines.append(f"  {problem.kind:<16} {_relative(problem.path, self.root)}  ({problem.detail})")
        if len(self.problems) > 30:
            lines.append(f"  ... and {len(self.problems) - 30} more (see report.problems)")
        return "\n".join(lines)


def _check_kinds(kinds) -> None:
    unknown = [kind for kind in kinds if kind not in PROBLEM_KINDS]
    if unknown:
        raise ValueError(f"unknown problem kinds {unknown}; expected some of {PROBLEM_KINDS}.")


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def validate_tree(root: str | Path) -> TreeReport:
    """Inspect an image tree, report every fault with its path, and never stop at one.

    ``root`` holds either the split folders ``train``, ``val`` and ``test``
    (each with one folder per class) or class folders directly (a raw tree,
    reported under the group ``"all"``). Unreadable files are reported and left
    out of the counts; everything else in the tree stays usable.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"expected a folder of class folders or of {SPLITS} folders; "
                                f"{root} is not a folder.")
    problems: list[Problem] = []
    groups = _groups(root, problems)
    counts, readable = {}, []
    for group, folder in groups.items():
        counts[group] = {}
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                counts[group][entry.name] = _inspect_class(entry, readable, problems)
            else:
                problems.append(Problem("stray file", entry, "a file beside the class folders; loaders ignore it"))
    _compare_classes(counts, groups, problems)
    shapes = Counter(shape for _, shape, _ in readable)
    _odd_shapes(readable, shapes, problems)
    _duplicates(readable, root, ALL_CLASSES not in groups, problems)
    return TreeReport(root, counts, shapes, problems)


def _groups(root: Path, problems: list[Problem]) -> dict[str, Path]:
    if not any((root / split).is_dir() for split in SPLITS):
        return {ALL_CLASSES: root}
    for entry in sorted(root.iterdir()):
        if entry.name not in SPLITS:
            problems.append(Problem("stray file", entry, f"not one of the split folders {SPLITS}"))
    for split in SPLITS:
        if not (root / split).is_dir():
            problems.append(Problem("missing split", root / split, "no such folder"))
    return {split: root / split for split in SPLITS if (root / split).is_dir()}


def _inspect_class(folder: Path, readable: list, problems: list[Problem]) -> int:
    """Count the readable images of one class folder (sub-folders included, as Keras does)."""
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            problems.append(Problem("nested folder", path, f"its images count as class {folder.name!r}"))
        elif path.suffix.lower() not in IMAGE_EXTENSIONS:
            problems.append(Problem("not an image", path, f"extension not one of {IMAGE_EXTENSIONS}; skipped"))
        else:
            shape, digest, fault = _read_image(path)
            if fault:
                problems.append(fault)
            else:
                readable.append((path, shape, digest))
                count += 1
    if count == 0:
        problems.append(Problem("empty class", folder, "no readable image: a class the model can never learn"))
    return count


def _read_image(path: Path):
    """``(shape, pixel digest, None)`` for a readable image, ``(None, None, Problem)`` otherwise."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            channels = 3 if image.mode == "P" else len(image.getbands())
            pixels = np.asarray(image)
    except (OSError, SyntaxError, ValueError) as error:  # PIL's ways of saying "cannot decode"
        kind = "truncated image" if "truncated" in str(error).lower() else "corrupt image"
        return None, None, Problem(kind, path, f"{error}; skipped")
    shape = (pixels.shape[0], pixels.shape[1], channels)
    return shape, hashlib.sha1(pixels.tobytes() + str(shape).encode()).hexdigest(), None


def _compare_classes(counts: dict, groups: dict, problems: list[Problem]) -> None:
    if len(counts) < 2:
        return
    first = next(iter(counts))
    for group, classes in counts.items():
        if sorted(classes) != sorted(counts[first]):
            problems.append(Problem("class mismatch", groups[group],
                                    f"classes {sorted(classes)} differ from {first}'s {sorted(counts[first])}: "
                                    "labels would mean different things in different splits"))


def _odd_shapes(readable: list, shapes: Counter, problems: list[Problem]) -> None:
    if not shapes:
        return
    (height, width, channels), _ = shapes.most_common(1)[0]
    for path, (h, w, c), _ in readable:
        if (h, w) != (height, width):
            problems.append(Problem("odd size", path, f"{h}x{w}, most images are {height}x{width}; "
                                                      "the loader resizes it"))
        elif c != channels:
            problems.append(Problem("odd channels", path, f"{c} channels, most images have {channels}; "
                                                          "the loader converts it"))


def _duplicates(readable: list, root: Path, split_tree: bool, problems: list[Problem]) -> None:
    """Report every image whose pixels an earlier image already has."""
    first_seen: dict[str, Path] = {}
    for path, _, digest in readable:
        if digest not in first_seen:
            first_seen[digest] = path
            continue
        original = first_seen[digest]
        places = [p.relative_to(root).parts[: 2 if split_tree else 1] for p in (original, path)]
        if split_tree and places[0][0] != places[1][0]:
            where = " in another split: leakage between splits"
        elif places[0][-1] != places[1][-1]:
            where = " in another class: one picture, two labels"
        else:
            where = ""
        problems.append(Problem("duplicate", path, f"same pixels as {_relative(original, root)}{where}"))


def quarantine(report: TreeReport, kinds: Sequence[str] = UNLOADABLE,
               destination: str | Path | None = None) -> list[Path]:
    """Move the files behind ``report``'s problems of ``kinds`` out of the tree.

    They go to ``destination`` (default: a ``<root>-quarantine`` folder beside
    the tree), keeping their paths relative to the root, so nothing is lost.
    Folders are never moved. Returns the new paths.
    """
    _check_kinds(kinds)
    target_root = Path(destination) if destination else report.root.with_name(f"{report.root.name}-quarantine")
    moved = []
    for problem in report.problems:
        if problem.kind in kinds and problem.path.is_file():
            target = target_root / problem.path.relative_to(report.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(problem.path, target)
            moved.append(target)
    return moved


def load_tree(root: str | Path, image_size: tuple[int, int], batch_size: int = 32,
              label_mode: str = "int", color_mode: str = "rgb", seed: int = 0) -> dict:
    """Validate a dataset tree and load each split with ``keras.utils.image_dataset_from_directory``.

    Returns ``{"train": dataset, "val": dataset, "test": dataset}``. The
    training split is shuffled (again every epoch, from ``seed``); validation
    and test keep a fixed order, so predictions line up with files. Every split
    gets the training split's class names, so a label means the same class
    everywhere.

    Raises
    ------
    ValueError
        When a split is missing, the splits disagree on classes, or an image
        cannot be read; the message names the files and the fix.
    """
    import keras

    if label_mode not in LABEL_MODES:
        raise ValueError(f"label_mode must be one of {LABEL_MODES}, got {label_mode!r}.")
    report = validate_tree(root)
    if ALL_CLASSES in report.counts:
        raise ValueError(f"{report.root} holds class folders but no {SPLITS} folders: split it first.")
    blocking = [p for p in report.problems if p.kind in ("missing split", "class mismatch", *UNLOADABLE)]
    if blocking:
        listed = "\n  ".join(f"{p.kind}: {p.path} ({p.detail})" for p in blocking)
        raise ValueError(f"{report.root} cannot be loaded as it is:\n  {listed}\nPrint "
                         "folders.validate_tree(root) for details; unreadable images can be moved "
                         "aside with folders.quarantine(folders.validate_tree(root)).")
    class_names = sorted(report.counts["train"])
    return {
        split: keras.utils.image_dataset_from_directory(
            report.root / split, label_mode=label_mode, class_names=class_names, color_mode=color_mode,
            image_size=tuple(image_size), batch_size=batch_size, shuffle=split == "train", seed=seed, verbose=False)
        for split in SPLITS
    }


def tree_text(root: str | Path, examples: int = 2) -> str:
    """A short listing of a folder tree: each folder, its file count and a few file names."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"expected a folder, {root} is not one.")
    lines = [f"{root.name}/"]
    for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
        depth = len(folder.relative_to(root).parts)
        if folder != root:
            lines.append(f"{'    ' * depth}{folder.name}/")
        if files:
            shown = ", ".join(files[:examples]) + (", ..." if len(files) > examples else "")
            lines.append(f"{'    ' * (depth + 1)}{len(files)} files: {shown}")
    return "\n".join(lines)
