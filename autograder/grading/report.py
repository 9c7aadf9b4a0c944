"""Class statistics from the gradebook: ``python -m autograder report ASSIGNMENT``.

Per test cell: how many students got full marks, some marks and none, and the
mean; for the whole assignment: the spread of total scores, drawn as a PNG in
``reports/<assignment>/score-distribution.png``; and the pairs of students whose
answers are the same code under other names (:mod:`autograder.grading.similar`).

With several assignments (or ``--all``), the course view: each student's score
per notebook and in total, the class's share of points per notebook drawn in
``reports/course.png``, and the test cells most students fail, the ones to
teach again.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402

import nbformat  # noqa: E402

from autograder.course import nbgrader_api  # noqa: E402
from autograder.grading import folders, record, similar  # noqa: E402


def class_scores(api, assignment: str) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """``({test cell: points}, {student: {test cell: score, "total": score}})`` from the gradebook."""
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(f"the gradebook has no assignment {assignment!r}") from None
        points = {cell.name: cell.max_score for notebook in found.notebooks for cell in notebook.grade_cells}
        students = {submission.student.id: record.submission_scores(submission) for submission in found.submissions}
    if not students:
        raise ValueError(f"no graded submissions of {assignment!r} yet: run `python -m autograder grade` first")
    return points, students


def cell_table(points: dict[str, float], students: dict[str, dict[str, float]]) -> str:
    """A Markdown table: one row per test cell, then the total."""
    rows = ["| test cell | points | mean | full marks | some | none |", "|---|---|---|---|---|---|"]
    count = len(students)
    for name, top in [*points.items(), ("total", sum(points.values()))]:
        got = [scores.get(name) or 0.0 for scores in students.values()]
        full = sum(score >= top for score in got)
        none = sum(score == 0 for score in got)
        rows.append(f"| {name} | {top:g} | {statistics.fmean(got):.2f} | {full}/{count} "
                    f"| {count - full - none}/{count} | {none}/{count} |")
    return "\n".join(rows)


def distribution_figure(points: dict[str, float], students: dict[str, dict[str, float]]):
    """Histogram of total scores beside the mean share of points per test cell."""
    top = sum(points.values())
    totals = [scores["total"] for scores in students.values()]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    left.hist(totals, bins=[x - 0.5 for x in range(int(top) + 2)], color="tab:blue", edgecolor="white")
    left.set(xlabel=f"total score (out of {top:g})", ylabel="students", title=f"{len(totals)} students")
    shares = [statistics.fmean([(scores.get(name) or 0.0) / value for scores in students.values()])
              for name, value in points.items()]
    right.barh(list(points), shares, color="tab:green")
    right.set(xlim=(0, 1), xlabel="mean share of the cell's points", title="per test cell")
    right.invert_yaxis()
    return fig


def similar_section(api, assignment: str, students: list[str]) -> str:
    """The similar-answer pairs among the autograded notebooks of ``students``, as Markdown."""
    release = nbformat.read(folders.course_notebook(api, "release", assignment), as_version=4)
    notebooks = {student: nbformat.read(path, as_version=4) for student in students
                 if (path := folders.course_notebook(api, "autograded", assignment, student)).is_file()}
    pairs = similar.similar_pairs(notebooks, release)
    lines = [f"- {first} and {second}: {', '.join(cells)}" for first, second, cells in pairs] or ["- none"]
    return ("Similar answers (the same code once names and layout are set aside; a hint for a person "
            "to look at, never a score change):\n" + "\n".join(lines))


def class_report(assignment: str, course_dir: Path, db_url: str | None = None) -> str:
    """Print-ready statistics; also save the score distribution next to the grading reports."""
    api = nbgrader_api(course_dir, **({"CourseDirectory.db_url": db_url} if db_url else {}))
    points, students = class_scores(api, assignment)
    totals = [scores["total"] for scores in students.values()]
    target = folders.reports_folder(api, assignment) / "score-distribution.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    figure = distribution_figure(points, students)
    figure.savefig(target, dpi=120)
    plt.close(figure)
    return (f"{assignment}: {len(totals)} students, mean {statistics.fmean(totals):.2f}, "
            f"median {statistics.median(totals):g}, min {min(totals):g}, max {max(totals):g} "
            f"(out of {sum(points.values()):g})\n\n{cell_table(points, students)}\n\nplot: {target}\n\n"
            f"{similar_section(api, assignment, sorted(students))}")


def course_scores(api, assignments: list[str]) -> tuple[dict[str, tuple[dict, dict]], list[str]]:
    """``({assignment: (points, students)}, [assignment with no grades yet])`` from the gradebook."""
    graded, missing = {}, []
    for assignment in assignments:
        try:
            graded[assignment] = class_scores(api, assignment)
        except ValueError:
            missing.append(assignment)
    if not graded:
        raise ValueError(f"none of {', '.join(assignments)} has graded submissions yet: "
                         "run `python -m autograder grade` first")
    return graded, missing


def student_table(graded: dict[str, tuple[dict, dict]]) -> str:
    """A Markdown table: one row per student, a column per notebook and the total; ``-`` where not submitted."""
    students = sorted({name for _, scores in graded.values() for name in scores})
    top = sum(sum(points.values()) for points, _ in graded.values())
    rows = [f"| student | {' | '.join(graded)} | total (of {top:g}) |", "|---" * (len(graded) + 2) + "|"]
    for student in students:
        cells = [scores[student]["total"] if student in scores else None for _, scores in graded.values()]
        shown = ["-" if score is None else f"{score:g}" for score in cells]
        rows.append(f"| {student} | {' | '.join(shown)} | {sum(score or 0 for score in cells):g} |")
    return "\n".join(rows)


def fail_rates(graded: dict[str, tuple[dict, dict]]) -> list[tuple[float, str, str]]:
    """``(share of students with no points, assignment, test cell)`` for every test cell, most failed first."""
    rates = []
    for assignment, (points, students) in graded.items():
        for cell in points:
            failed = sum(not scores.get(cell) for scores in students.values())
            rates.append((failed / len(students), assignment, cell))
    return sorted(rates, key=lambda rate: (-rate[0], rate[1], rate[2]))


def course_figure(graded: dict[str, tuple[dict, dict]]):
    """Each student's share of the points, notebook by notebook, over the class's spread (a box per notebook)."""
    names = list(graded)
    shares = {name: {student: scores["total"] / sum(points.values()) for student, scores in students.items()}
              for name, (points, students) in graded.items()}
    fig, axis = plt.subplots(figsize=(max(6, 1.4 * len(names)), 4), layout="constrained")
    axis.boxplot([list(shares[name].values()) for name in names], positions=range(len(names)), widths=0.5)
    for student in sorted({student for values in shares.values() for student in values}):
        axis.plot(range(len(names)), [shares[name].get(student, float("nan")) for name in names],
                  color="tab:blue", alpha=0.3, marker=".")
    axis.set_xticks(range(len(names)), names, rotation=20, ha="right")
    axis.set(ylim=(-0.05, 1.05), ylabel="share of the notebook's points", title="the class across notebooks")
    return fig


def course_report(assignments: list[str], course_dir: Path, db_url: str | None = None) -> str:
    """Print-ready course view; also save the plot of the class across notebooks."""
    api = nbgrader_api(course_dir, **({"CourseDirectory.db_url": db_url} if db_url else {}))
    graded, missing = course_scores(api, assignments)
    target = Path(api.coursedir.root, "reports", "course.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    figure = course_figure(graded)
    figure.savefig(target, dpi=120)
    plt.close(figure)
    rates = "\n".join(f"| {assignment} | {cell} | {rate:.0%} |" for rate, assignment, cell in fail_rates(graded))
    skipped = f"\n\nnot graded yet: {', '.join(missing)}" if missing else ""
    return (f"course: {len(graded)} notebook(s)\n\n{student_table(graded)}\n\nplot: {target}\n\n"
            "Test cells by share of students with no points (teach again from the top):\n\n"
            f"| notebook | test cell | no points |\n|---|---|---|\n{rates}{skipped}")
