"""Find each student's notebook in a folder or an LMS zip and file it where nbgrader expects it.

Names are matched the way nbgrader's ``zip_collect`` does: a regular expression
with the named groups ``student_id`` and ``file_id`` (and optionally
``timestamp``, and ``late`` for an LMS's late marker), applied here to each notebook's path relative to the folder
or zip root, with ``/`` separators, or one of the named :data:`PATTERNS`. The
default, ``folders``, reads the first folder as the student:
``alice/03-logistic-regression.ipynb``. The ``file_id`` group
is the file's own name, without what the LMS put before it: a submission is
``renamed`` only when that differs from the release's notebook name.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import nbformat
from nbgrader.utils import parse_utc

from autograder.grading.state import Flag, Kind

# Named patterns for the usual layouts; ``--pattern`` takes one of these names or a regular expression.
PATTERNS = {
    "folders": r"^(?P<student_id>[^/]+)/(?:.*/)?(?P<file_id>[^/]+\.ipynb)$",  # <student>/<notebook>
    "canvas": r"^(?P<student_id>[^_/]+)_(?P<late>LATE_)?\d+_\d+_(?P<file_id>.+\.ipynb)$",  # name[_LATE]_user_sub_file
    "moodle": r"^[^/]*_(?P<student_id>\d+)_assignsubmission_file_/(?P<file_id>.+\.ipynb)$",  # Name_id_assign.../
}
DEFAULT_PATTERN = "folders"
SKIPPED_PARTS = {".ipynb_checkpoints", "__MACOSX"}


@dataclass
class Found:
    """One student's files as found, before the collect stage chooses the notebook to grade."""

    student: str
    root: Path  # the folder (or unpacked zip) the notebooks were found in
    notebooks: dict[Path, str] = field(default_factory=dict)  # path: its file_id
    timestamp: str | None = None
    marked_late: bool = False
    flags: list[Flag] = field(default_factory=list)
    chosen: Path | None = None

    @property
    def found_as(self) -> str:
        """The chosen notebook's path inside the submissions, as the LMS named it."""
        return self.chosen.relative_to(self.root).as_posix()


def unpack(archive: Path, target: Path) -> Path:
    """Extract ``archive`` into ``target``, refusing members that would land outside it."""
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            parts = PurePosixPath(member.filename).parts
            if member.is_dir() or not parts:
                continue
            if member.filename.startswith("/") or ".." in parts:
                raise ValueError(f"{archive} holds {member.filename!r}, a path outside the archive; not extracting")
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, open(destination, "wb") as sink:
                shutil.copyfileobj(source, sink)
    return target


def find(root: Path, pattern: str = DEFAULT_PATTERN) -> tuple[dict[str, Found], list[str]]:
    """Group the notebooks under ``root`` by student; also return the paths that did not match."""
    matcher = re.compile(PATTERNS.get(pattern, pattern))
    if not {"student_id", "file_id"} <= set(matcher.groupindex):
        raise ValueError(f"the pattern must be one of {', '.join(PATTERNS)} or have the named groups "
                         f"student_id and file_id, got {pattern!r}")
    found: dict[str, Found] = {}
    unmatched = []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root).as_posix()
        if SKIPPED_PARTS & set(path.relative_to(root).parts) or path.name.startswith("."):
            continue
        match = matcher.match(relative)
        if match is None:
            unmatched.append(relative)
            continue
        submission = found.setdefault(match["student_id"], Found(match["student_id"], root))
        submission.notebooks[path] = match["file_id"]
        submission.timestamp = match.groupdict().get("timestamp") or submission.timestamp
        submission.marked_late = submission.marked_late or bool(match.groupdict().get("late"))
    return found, unmatched


def readable(path: Path) -> nbformat.NotebookNode | None:
    """The notebook at ``path``, or ``None`` when it is not a readable notebook."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - bad JSON, a wrong schema, bad encoding: all unreadable
        return None


def shared_ids(path: Path, release) -> int:
    """How many of the release's nbgrader cells ``path`` still carries (-1 if unreadable)."""
    notebook = readable(path)
    if notebook is None:
        return -1
    wanted = {c.metadata["nbgrader"]["grade_id"] for c in release.cells if "nbgrader" in c.metadata}
    return len(wanted & {c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells})


def choose(submission: Found, expected: str, release) -> None:
    """Pick the notebook to grade and flag a renamed, extra or unreadable one."""
    exact = [path for path, file_id in submission.notebooks.items() if file_id == expected]
    ranked = sorted(submission.notebooks, key=lambda path: shared_ids(path, release), reverse=True)
    submission.chosen = exact[0] if exact else ranked[0]
    if not exact:
        submission.flags.append(Flag(Kind.RENAMED, f"graded {submission.chosen.name!r} as {expected}"))
    others = [path.name for path in submission.notebooks if path != submission.chosen]
    if others:
        submission.flags.append(Flag(Kind.EXTRA_FILES, f"also submitted {', '.join(map(repr, others))} (not graded)"))
    if readable(submission.chosen) is None:
        submission.flags.append(Flag(Kind.UNREADABLE, f"{submission.chosen.name!r} is not a valid notebook; graded as blank"))


def owner(path: Path, file_id: str, releases: dict[str, nbformat.NotebookNode]) -> str | None:
    """The assignment a notebook in a tree of several belongs to, or ``None`` when nothing tells.

    The one its name starts with; else the one whose release cells it carries
    most (a renamed notebook); a tie or no shared cell tells nothing.
    """
    named = [assignment for assignment in releases if file_id.startswith(assignment)]
    if named:
        return max(named, key=len)
    shared = {assignment: shared_ids(path, release) for assignment, release in releases.items()}
    best = max(shared.values(), default=0)
    winners = [assignment for assignment, count in shared.items() if count == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def lateness(submission: Found, due: datetime | None) -> list[Flag]:
    """A ``late`` flag when the LMS marked the submission late or its timestamp is past ``due`` (naive UTC)."""
    if submission.marked_late:
        return [Flag(Kind.LATE, "the LMS marked it late")]
    if due is None or not submission.timestamp:
        return []
    try:
        submitted = parse_utc(submission.timestamp)
    except (ValueError, OverflowError):
        raise ValueError(f"{submission.student}'s timestamp {submission.timestamp!r} is not a date and time") from None
    return [Flag(Kind.LATE, f"submitted {submitted:%Y-%m-%d %H:%M}, after the due date {due:%Y-%m-%d %H:%M} (UTC)")] \
        if submitted > due else []


def own_files(submission: Found) -> list[Path]:
    """Other files beside the chosen notebook, when its folder holds only this student's notebooks.

    In a flat LMS export every student's files share one folder, so nothing is
    taken from there. A ``timestamp.txt`` is never taken from a student: nbgrader
    would read it as the submission time.
    """
    folder = submission.chosen.parent
    if not set(folder.glob("*.ipynb")) <= set(submission.notebooks):
        return []
    return [path for path in sorted(folder.iterdir()) if path.is_file() and path.suffix != ".ipynb"
            and not path.name.startswith(".") and path.name != "timestamp.txt"]


def file_into(submission: Found, folder: Path, expected: str, release_path: Path) -> Path:
    """Copy the chosen notebook (a blank release copy if unreadable) and its siblings into ``folder``."""
    chosen = submission.chosen
    if folder.exists() and not chosen.resolve().is_relative_to(folder.resolve()):
        shutil.rmtree(folder)  # a fresh copy of this submission, nothing left from an earlier one
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / expected
    for sibling in own_files(submission):
        if not (folder / sibling.name).exists() or not (folder / sibling.name).samefile(sibling):
            shutil.copyfile(sibling, folder / sibling.name)
    if readable(chosen) is None:
        shutil.copyfile(chosen, folder / f"{chosen.name}.unreadable")
        shutil.copyfile(release_path, target)
    elif not target.exists() or not target.samefile(chosen):
        shutil.copyfile(chosen, target)
    if submission.timestamp:
        (folder / "timestamp.txt").write_text(submission.timestamp, encoding="utf-8")
    return target
