"""Grades and feedback back into the LMS: ``python -m autograder export --lms canvas|moodle ASSIGNMENT...``.

Canvas's gradebook import reads a CSV of ``Student, ID, SIS User ID, SIS Login ID,
Section`` and one column per assignment (a header Canvas does not know makes a
new assignment); it matches rows by the Canvas user ``ID``, which Canvas puts
in every downloaded file name: ``name[_LATE]_<user id>_<submission id>_<file>``.
Moodle's assignment takes back its offline grading worksheet: ``Identifier``
(``Participant <id>``, the number in each downloaded folder name
``<full name>_<id>_assignsubmission_file_/``) and ``Grade``, one worksheet per
assignment. With ``--roster`` (the gradebook CSV or worksheet downloaded from
the LMS) its rows and columns are kept and only the grades are filled in.

Feedback goes out either in the LMS's upload layout (Canvas's re-upload of
submissions, Moodle's feedback files zip), named as the LMS named the
submission, or as one zip per student.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import nbgrader_api
from autograder.grading import folders, record

LMS_NAMES = {  # the ids an LMS writes into the path of each submission it exports
    "canvas": re.compile(r"^(?:.*/)?(?P<prefix>(?P<login>[^_/]+)_(?:LATE_)?(?P<lms_id>\d+)_\d+)_[^/]+$"),
    "moodle": re.compile(r"^(?:.*/)?(?P<full_name>[^/]*)_(?P<lms_id>\d+)_assignsubmission_file_/[^/]+$"),
}
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["Identifier", "Full name", "Grade", "Maximum Grade"]
POINTS_ROW = "    Points Possible"  # the second row of Canvas's own gradebook export


@dataclass
class Graded:
    """One student's graded notebook of one assignment, with what the LMS's file name says."""

    student: str
    assignment: str
    score: float
    max_score: float
    found_as: str
    lms: dict[str, str]
    feedback: Path


@dataclass
class Exported:
    """What ``export`` wrote and whom it could not place."""

    files: list[Path] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # graded, but no LMS row to put the grade in
    ungraded: list[str] = field(default_factory=list)  # roster rows left as they were
    unbundled: list[str] = field(default_factory=list)  # graded, but no LMS file name to name the feedback by


def graded_students(api, assignment: str, lms: str) -> list[Graded]:
    """Every graded student of ``assignment`` with the gradebook's score as it is now (manual scores too)."""
    folder = folders.reports_folder(api, assignment)
    if not folder.is_dir():
        raise ValueError(f"no grading reports for {assignment!r} in {folder}: run `python -m autograder grade` first")
    found = []
    for path in sorted(folder.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        scores = record.scores(api, assignment, report["student"])
        if scores is None:
            continue
        match = LMS_NAMES[lms].match(report["file"])
        found.append(Graded(report["student"], assignment, scores["total"], report["max_score"], report["file"],
                            match.groupdict() if match else {},
                            folders.course_folder(api, "feedback", assignment, report["student"]) / f"{assignment}.html"))
    return found


def read_roster(path: Path, lms: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a gradebook CSV or grading worksheet downloaded from the LMS."""
    with open(path, newline="", encoding="utf-8-sig") as table:
        reader = csv.DictReader(table)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    wanted = "ID" if lms == "canvas" else "Identifier"
    if wanted not in header:
        raise ValueError(f"the {lms} roster {path} must have a column {wanted!r}; its columns are {header}")
    return header, rows


def row_keys(row: dict[str, str], lms: str) -> set[str]:
    """The ids a roster row can be matched by."""
    if lms == "canvas":
        return {row.get(name, "").strip() for name in ("ID", "SIS User ID", "SIS Login ID")} - {""}
    participant = re.sub(r"\D", "", row.get("Identifier", ""))
    return {participant, row.get("Email address", "").strip()} - {""}


def student_keys(graded: Graded) -> set[str]:
    return {graded.student} | ({graded.lms["lms_id"]} if "lms_id" in graded.lms else set())


def match_rows(rows: list[dict[str, str]], graded: list[Graded], lms: str) -> tuple[dict[int, Graded], list[str]]:
    """``({row index: graded}, [unmatched student])`` for one assignment."""
    matched, unmatched = {}, []
    for one in graded:
        found = [index for index, row in enumerate(rows) if row_keys(row, lms) & student_keys(one)]
        if found:
            matched[found[0]] = one
        else:
            unmatched.append(f"{one.student} ({one.assignment}, found as {one.found_as!r})")
    return matched, unmatched


def canvas_rows(graded: list[Graded]) -> list[dict[str, str]]:
    """Roster rows built from the Canvas file names, one per student that has them."""
    rows = {}
    for one in graded:
        if "lms_id" in one.lms:
            rows.setdefault(one.lms["lms_id"], {"Student": one.lms["login"], "ID": one.lms["lms_id"],
                                                "SIS User ID": "", "SIS Login ID": "", "Section": ""})
    return list(rows.values())


def assignment_column(header: list[str], assignment: str) -> str:
    """The roster's column of ``assignment`` (Canvas writes ``name (id)``), or a new one named after it."""
    return next((name for name in header if name == assignment or name.startswith(f"{assignment} (")), assignment)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as table:
        writer = csv.DictWriter(table, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def canvas_csv(classes: dict[str, list[Graded]], roster: Path | None, out: Path, result: Exported) -> None:
    """One gradebook CSV for every assignment."""
    everyone = [one for graded in classes.values() for one in graded]
    header, rows = read_roster(roster, "canvas") if roster else (list(CANVAS_COLUMNS), canvas_rows(everyone))
    points = next((row for row in rows if row.get("Student", "").strip() == POINTS_ROW.strip()), None)
    if points is None and roster is None:
        points = {"Student": POINTS_ROW}
        rows.insert(0, points)
    students = [row for row in rows if row is not points]
    for assignment, graded in classes.items():
        column = assignment_column(header, assignment)
        if column not in header:
            header.append(column)
        matched, unmatched = match_rows(students, graded, "canvas")
        for index, one in matched.items():
            students[index][column] = f"{one.score:g}"
        if points is not None and graded:
            points[column] = f"{graded[0].max_score:g}"
        result.unmatched += unmatched
        result.ungraded += [f"{row.get('Student', '')} ({assignment})" for index, row in enumerate(students)
                            if index not in matched]
    result.files.append(write_csv(out / "canvas-grades.csv", header, rows))


def moodle_csv(assignment: str, graded: list[Graded], roster: Path | None, out: Path, result: Exported) -> None:
    """The grading worksheet of one assignment."""
    if roster:
        header, rows = read_roster(roster, "moodle")
    else:
        header = list(MOODLE_COLUMNS)
        rows = [{"Identifier": f"Participant {one.lms['lms_id']}", "Full name": one.lms["full_name"]}
                for one in graded if "lms_id" in one.lms]
    for name in ("Grade", "Maximum Grade"):
        if name not in header:
            header.append(name)
    matched, unmatched = match_rows(rows, graded, "moodle")
    for index, one in matched.items():
        rows[index].update({"Grade": f"{one.score:g}", "Maximum Grade": f"{one.max_score:g}"})
    result.unmatched += unmatched
    result.ungraded += [f"{row.get('Identifier', '')} ({assignment})" for index, row in enumerate(rows)
                        if index not in matched]
    result.files.append(write_csv(out / f"moodle-{assignment}.csv", header, rows))


def upload_name(one: Graded, lms: str) -> str | None:
    """The feedback page's name in the LMS's upload layout, from the submission's own name."""
    if "lms_id" not in one.lms:
        return None
    if lms == "canvas":
        return f"{one.lms['prefix']}_{one.feedback.name}"
    return f"{one.lms['full_name']}_{one.lms['lms_id']}_assignsubmission_file_/{one.feedback.name}"


def lms_bundle(lms: str, assignment: str, graded: list[Graded], out: Path, result: Exported) -> None:
    """One zip of the class's feedback pages, laid out for the LMS's upload of feedback files."""
    target = out / f"{lms}-feedback-{assignment}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for one in graded:
            name = upload_name(one, lms)
            if name and one.feedback.is_file():
                bundle.write(one.feedback, name)
            else:
                result.unbundled.append(f"{one.student} ({assignment})")
    result.files.append(target)


def student_bundles(classes: dict[str, list[Graded]], out: Path, result: Exported) -> None:
    """One zip per student: ``<assignment>.html`` for each of their graded assignments."""
    by_student: dict[str, list[Graded]] = {}
    for graded in classes.values():
        for one in graded:
            by_student.setdefault(one.student, []).append(one)
    for student, pages in sorted(by_student.items()):
        target = out / "feedback" / f"{student}.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
            for one in pages:
                if one.feedback.is_file():
                    bundle.write(one.feedback, one.feedback.name)
        result.files.append(target)


def export(assignments: list[str], lms: str, course_dir: Path, db_url: str | None = None,
           roster: Path | None = None, out: Path | None = None, per_student: bool = False) -> Exported:
    """Write the LMS's grade CSV(s) and the feedback bundles for ``assignments`` into ``out``."""
    if lms not in LMS_NAMES:
        raise ValueError(f"--lms must be one of {', '.join(LMS_NAMES)}, got {lms!r}")
    api = nbgrader_api(course_dir, **({"CourseDirectory.db_url": db_url} if db_url else {}))
    out = out or Path(api.coursedir.root, "exports")
    out.mkdir(parents=True, exist_ok=True)
    classes = {assignment: graded_students(api, assignment, lms) for assignment in assignments}
    result = Exported()
    if lms == "canvas":
        canvas_csv(classes, roster, out, result)
    else:
        for assignment, graded in classes.items():
            moodle_csv(assignment, graded, roster, out, result)
    if per_student:
        student_bundles(classes, out, result)
    else:
        for assignment, graded in classes.items():
            lms_bundle(lms, assignment, graded, out, result)
    return result
