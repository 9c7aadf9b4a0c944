"""starter_lib.folders: real PNG trees on disk, every fault reported with its path, loading with Keras."""

import shutil

import numpy as np
import pytest

from starter_lib import data, folders


def shapes(counts=(6, 4, 5), seed=0, size=16):
    return data.shape_images(counts, size=size, seed=seed)


def split_tree(root, counts=((8, 6, 7), (3, 3, 2), (3, 2, 3))):
    """A dataset tree whose three splits hold different pictures (different seeds)."""
    for seed, (split, per_class) in enumerate(zip(folders.SPLITS, counts)):
        folders.write_class_folders(*shapes(per_class, seed=seed), root / split)
    return root


def test_image_files_are_known_by_extension_in_any_letter_case(tmp_path):
    for name in ("a.png", "b.JPG", "c.jpeg", "d.Bmp", "e.gif"):
        (tmp_path / name).write_bytes(b"x")
        assert folders.is_image_file(tmp_path / name)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "folder.png").mkdir()
    assert not folders.is_image_file(tmp_path / "notes.txt")
    assert not folders.is_image_file(tmp_path / "folder.png")


def test_write_class_folders_writes_one_png_per_image_in_its_class_folder(tmp_path):
    pictures = shapes((3, 1, 2))
    root = folders.write_class_folders(*pictures, tmp_path / "raw")
    assert sorted(p.name for p in root.iterdir()) == ["circle", "square", "triangle"]
    assert sorted(p.name for p in (root / "triangle").iterdir()) == ["triangle_0001.png", "triangle_0002.png"]
    from PIL import Image

    with Image.open(root / "circle" / "circle_0002.png") as image:
        assert np.array_equal(np.asarray(image), pictures.images[1])


def test_write_class_folders_saves_grey_pictures_with_one_channel(tmp_path):
    faces = data.face_images()
    root = folders.write_class_folders(faces.images[:3], faces.labels[:3], faces.class_names, tmp_path / "faces")
    report = folders.validate_tree(root)
    assert report.shapes == {(25, 25, 1): 3}


def test_write_class_folders_refuses_a_folder_that_holds_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="already holds files"):
        folders.write_class_folders(*shapes(), tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_write_class_folders_can_replace_an_earlier_run(tmp_path):
    folders.write_class_folders(*shapes((2, 2, 2)), tmp_path / "raw")
    root = folders.write_class_folders(*shapes((1, 1, 1)), tmp_path / "raw", overwrite=True)
    assert folders.validate_tree(root).counts["all"] == {"circle": 1, "square": 1, "triangle": 1}


@pytest.mark.parametrize("images, labels, names, message", [
    (np.zeros((2, 4, 4), np.float32), [0, 1], ["a", "b"], "uint8"),
    (np.zeros((2, 4, 4), np.uint8), [0], ["a", "b"], "one integer label per image"),
    (np.zeros((2, 4, 4), np.uint8), [0, 2], ["a", "b"], r"labels must lie in 0..1"),
    (np.zeros((2, 4, 4), np.uint8), [0, 1], ["a", "b/c"], "cannot"),
])
def test_write_class_folders_names_bad_input(tmp_path, images, labels, names, message):
    with pytest.raises(ValueError, match=message):
        folders.write_class_folders(images, np.array(labels), names, tmp_path / "out")


def test_a_clean_raw_tree_has_no_problems_and_counts_under_all(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    report = folders.validate_tree(root)
    assert report.ok and report.problems == []
    assert report.counts == {"all": {"circle": 6, "square": 4, "triangle": 5}}
    assert report.shapes == {(16, 16, 3): 15}


def test_a_clean_split_tree_is_counted_per_split(tmp_path):
    report = folders.validate_tree(split_tree(tmp_path / "dataset"))
    assert report.ok
    assert report.counts["train"] == {"circle": 8, "square": 6, "triangle": 7}
    assert report.counts["test"] == {"circle": 3, "square": 2, "triangle": 3}


def test_every_planted_fault_is_reported_with_its_path(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    planted = folders.add_faults(root)
    assert set(planted) == {"stray file", "empty class", "not an image", "corrupt image", "truncated image",
                            "nested folder", "odd size", "odd channels"}
    report = folders.validate_tree(root)
    found = {(problem.kind, problem.path) for problem in report.problems}
    assert set(planted.items()) <= found
    assert not report.ok


def test_unreadable_images_are_skipped_and_the_rest_still_counted(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    folders.add_faults(root)
    counts = folders.validate_tree(root).counts["all"]
    # circle gains the odd-size and odd-channel images, not the corrupt one; triangle gains the nested image.
    assert counts == {"circle": 8, "square": 4, "triangle": 6, "unused_class": 0}


def test_a_picture_in_two_splits_is_reported_as_leakage(tmp_path):
    root = split_tree(tmp_path / "dataset")
    shutil.copy2(root / "train" / "square" / "square_0002.png", root / "test" / "square" / "copy.png")
    duplicates = [p for p in folders.validate_tree(root).problems if p.kind == "duplicate"]
    assert [p.path for p in duplicates] == [root / "test" / "square" / "copy.png"]
    assert "train/square/square_0002.png" in duplicates[0].detail and "leakage" in duplicates[0].detail


def test_a_picture_in_two_classes_is_reported_as_two_labels(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    shutil.copy2(root / "circle" / "circle_0001.png", root / "square" / "looks_round.png")
    [duplicate] = [p for p in folders.validate_tree(root).problems if p.kind == "duplicate"]
    assert duplicate.path == root / "square" / "looks_round.png" and "two labels" in duplicate.detail


def test_missing_splits_stray_entries_and_class_mismatches_are_reported(tmp_path):
    root = tmp_path / "dataset"
    folders.write_class_folders(*shapes(), root / "train")
    folders.write_class_folders(*data.shape_images(2, size=16, shapes=("circle", "star")), root / "val")
    (root / "README.md").write_text("notes")
    kinds = {(p.kind, p.path.name) for p in folders.validate_tree(root).problems}
    assert {("missing split", "test"), ("stray file", "README.md"), ("class mismatch", "val")} <= kinds


def test_validate_tree_wants_a_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        folders.validate_tree(tmp_path / "nowhere")


def test_the_report_reads_as_a_table_and_a_list_of_problems(tmp_path):
    root = split_tree(tmp_path / "dataset")
    folders.add_faults(root / "train")
    text = str(folders.validate_tree(root))
    assert "train" in text and "circle" in text and "16x16x3" in text
    assert "corrupt image    train/circle/corrupt.png" in text


def test_report_paths_filters_by_kind_and_rejects_unknown_kinds(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    planted = folders.add_faults(root)
    report = folders.validate_tree(root)
    assert report.paths("corrupt image") == [planted["corrupt image"]]
    with pytest.raises(ValueError, match="unknown problem kinds"):
        report.paths("broken")


def test_quarantine_moves_unreadable_images_aside_keeping_their_paths(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    planted = folders.add_faults(root)
    moved = folders.quarantine(folders.validate_tree(root))
    assert sorted(moved) == sorted([tmp_path / "raw-quarantine" / "circle" / "corrupt.png",
                                    tmp_path / "raw-quarantine" / "triangle" / "truncated.png"])
    assert all(path.is_file() for path in moved)
    assert not planted["corrupt image"].exists() and planted["not an image"].exists()
    assert folders.validate_tree(root).paths(*folders.UNLOADABLE) == []


def test_quarantine_can_move_other_kinds_to_a_chosen_folder_but_never_folders(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    planted = folders.add_faults(root)
    moved = folders.quarantine(folders.validate_tree(root), kinds=("not an image", "empty class"),
                               destination=tmp_path / "aside")
    assert moved == [tmp_path / "aside" / "circle" / "notes.txt"]
    assert planted["empty class"].is_dir()


def test_add_faults_needs_a_class_folder_with_an_image(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="the first holding an image"):
        folders.add_faults(tmp_path)


def test_load_tree_shuffles_only_the_training_split(tmp_path):
    root = split_tree(tmp_path / "dataset")
    splits = folders.load_tree(root, image_size=(12, 12), batch_size=4)
    assert list(splits) == ["train", "val", "test"]
    for split, dataset in splits.items():
        assert dataset.class_names == ["circle", "square", "triangle"]
        labels = np.concatenate([y.numpy() for _, y in dataset])
        assert len(labels) == sum(folders.validate_tree(root).counts[split].values())
        in_order = np.array_equal(labels, np.sort(labels))
        assert in_order == (split != "train"), split
    images, _ = next(iter(splits["val"]))
    assert images.shape == (4, 12, 12, 3)


def test_load_tree_gives_the_requested_label_mode_and_channels(tmp_path):
    root = tmp_path / "faces"
    faces = data.face_images()
    for split, part in zip(folders.SPLITS, (slice(0, None, 3), slice(1, None, 3), slice(2, None, 3))):
        folders.write_class_folders(faces.images[part], faces.labels[part], faces.class_names, root / split)
    splits = folders.load_tree(root, image_size=(25, 25), label_mode="binary", color_mode="grayscale")
    images, labels = next(iter(splits["test"]))
    assert images.shape[1:] == (25, 25, 1) and labels.shape[1:] == (1,)


def test_load_tree_refuses_a_tree_with_unreadable_images_and_names_them(tmp_path):
    root = split_tree(tmp_path / "dataset")
    planted = folders.add_faults(root / "val")
    (root / "val" / "unused_class").rmdir()
    with pytest.raises(ValueError, match="cannot be loaded") as caught:
        folders.load_tree(root, image_size=(12, 12))
    assert str(planted["corrupt image"]) in str(caught.value) and "quarantine" in str(caught.value)


def test_load_tree_refuses_an_unsplit_tree_and_unknown_label_modes(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    with pytest.raises(ValueError, match="split it first"):
        folders.load_tree(root, image_size=(8, 8))
    with pytest.raises(ValueError, match="label_mode must be one of"):
        folders.load_tree(root, image_size=(8, 8), label_mode="onehot")


def test_tree_text_lists_folders_with_their_file_counts(tmp_path):
    root = folders.write_class_folders(*shapes(), tmp_path / "raw")
    text = folders.tree_text(root, examples=1)
    assert text.splitlines()[:3] == ["raw/", "    circle/", "        6 files: circle_0001.png, ..."]
    with pytest.raises(FileNotFoundError):
        folders.tree_text(tmp_path / "missing")
