"""Where grading reads and writes in a course: nbgrader's folders, through nbgrader's own
``CourseDirectory.format_path`` (so a course with another ``directory_structure`` is read where it
keeps its files), and the grader's reports beside them."""

from __future__ import annotations

from pathlib import Path


def course_folder(api, step: str, assignment: str, student: str = ".") -> Path:
    """nbgrader's folder of ``assignment`` for ``step`` (source, release, submitted, autograded, feedback)."""
    coursedir = api.coursedir
    return Path(coursedir.format_path(getattr(coursedir, f"{step}_directory"), student, assignment))


def course_notebook(api, step: str, assignment: str, student: str = ".") -> Path:
    """The assignment's notebook (one per assignment, named after it) in its folder for ``step``."""
    return course_folder(api, step, assignment, student) / f"{assignment}.ipynb"


def reports_folder(api, assignment: str) -> Path:
    """The grader's JSON reports of ``assignment``, one per student, and the class figures."""
    return Path(api.coursedir.root, "reports", assignment)
