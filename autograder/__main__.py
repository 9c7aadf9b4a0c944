"""Command line: ``python -m autograder build | grade | report | export | validate | lint``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from nbgrader.utils import parse_utc

from autograder.authoring import build, lint, validate
from autograder.course import COURSE_DIR, assignments
from autograder.grading import export, grade, interrupts, report, stages, submissions
from autograder.grading.sandbox import SandboxUnavailable


def positive(text: str) -> int:
    """An argparse type: a whole number above zero."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text}")
    return value


def due_date(text: str) -> datetime:
    """An argparse type: a date and time as nbgrader reads it, in naive UTC."""
    try:
        return parse_utc(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"expected a date and time such as '2026-03-01 23:59', got {text!r}") from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="write master notebooks and learner copies")
    build_parser.add_argument("--check", action="store_true",
                              help="write nothing; exit 1 if any generated file is stale")

    grade_parser = commands.add_parser("grade", help="grade a class's submissions in parallel, sandboxed")
    grade_parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                              help="assignment names, e.g. 03-logistic-regression (or --all)")
    grade_parser.add_argument("submissions", type=Path,
                              help="a folder of <student>/<notebook>.ipynb, or an LMS zip (see --pattern); for "
                                   "several assignments, one tree of them all, or one folder or zip per assignment "
                                   "named after it")
    grade_parser.add_argument("--all", action="store_true", help="every assignment of the course")
    grade_parser.add_argument("--workers", type=positive, default=None,
                              help="notebooks graded at once (default: the number of CPU cores)")
    grade_parser.add_argument("--cluster", default=None, metavar="ADDRESS",
                              help="run the notebooks on a Dask cluster instead of this machine's processes: "
                                   "tcp://HOST:8786 (a running dask scheduler) or local:N (N worker processes "
                                   "started here); see the README's 'Grading on a cluster'")
    grade_parser.add_argument("--db-url", default=None,
                              help="gradebook as an SQLAlchemy URL (default: sqlite in the course folder)")
    grade_parser.add_argument("--course", type=Path, default=COURSE_DIR, help="the nbgrader course folder")
    grade_parser.add_argument("--timeout", type=positive, default=stages.Limits.timeout,
                              help="seconds one whole notebook may run (default: %(default)s)")
    grade_parser.add_argument("--cell-timeout", type=positive, default=None,
                              help="seconds one cell may run (default: Execute.timeout of the course config)")
    grade_parser.add_argument("--memory", type=positive, default=stages.Limits.memory_mb,
                              help="MiB of memory per kernel process; with a control group, twice that for the "
                                   "whole sandbox (default: %(default)s)")
    grade_parser.add_argument("--pattern", default=submissions.DEFAULT_PATTERN,
                              help=f"{', '.join(submissions.PATTERNS)} (an LMS's layout), or a regular expression "
                                   "with named groups student_id and file_id (optionally timestamp), matched "
                                   "against each notebook's path inside SUBMISSIONS (default: %(default)s)")
    grade_parser.add_argument("--force", action="store_true",
                              help="grade every student again, even those already graded for the same file")
    grade_parser.add_argument("--due", type=due_date, default=None, metavar="DATETIME",
                              help="due date, e.g. '2026-03-01 23:59 Europe/Berlin' (default UTC): later "
                                   "timestamps are flagged late and nbgrader's late penalty applies")
    grade_parser.add_argument("--feedback-shows-all", action="store_true",
                              help="feedback shows the hidden tests and full tracebacks (default: hidden)")
    grade_parser.add_argument("--student", action="append", default=[], dest="students", metavar="ID",
                              help="grade only this student, again (repeatable)")

    report_parser = commands.add_parser("report", help="class statistics per test cell and a score plot; with "
                                                       "several assignments or --all, the course view")
    report_parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="assignment names (or --all)")
    report_parser.add_argument("--all", action="store_true", help="every assignment of the course graded so far")
    report_parser.add_argument("--course", type=Path, default=COURSE_DIR, help="the nbgrader course folder")
    report_parser.add_argument("--db-url", default=None, help="gradebook as an SQLAlchemy URL")

    validate_parser = commands.add_parser("validate", help="run one notebook's tests; exit 1 if any fails")
    validate_parser.add_argument("notebook", type=Path, help="the notebook to check")
    validate_parser.add_argument("--cell-timeout", type=positive, default=None,
                                 help="seconds one cell may run (default: the course config's)")

    export_parser = commands.add_parser("export", help="grades as the LMS's gradebook CSV, and feedback bundles")
    export_parser.add_argument("assignments", nargs="+", metavar="ASSIGNMENT", help="assignment names")
    export_parser.add_argument("--lms", required=True, choices=sorted(export.LMS_NAMES), help="the LMS to import into")
    export_parser.add_argument("--course", type=Path, default=COURSE_DIR, help="the nbgrader course folder")
    export_parser.add_argument("--db-url", default=None, help="gradebook as an SQLAlchemy URL")
    export_parser.add_argument("--roster", type=Path, default=None,
                               help="the gradebook CSV (Canvas) or grading worksheet (Moodle) downloaded from the "
                                    "LMS: its rows are kept and the grades filled in")
    export_parser.add_argument("--out", type=Path, default=None, help="where to write (default: COURSE/exports)")
    export_parser.add_argument("--per-student", action="store_true",
                               help="feedback as one zip per student instead of the LMS's upload layout")

    lint_parser = commands.add_parser("lint", help="check lesson sources against the course's rules; exit 1 if any fails")
    lint_parser.add_argument("sources", type=Path, nargs="*",
                             help="lesson sources (course/source/NN-name/NN-name.py; default: all of them)")
    return main


def run_lint(args) -> int:
    found = lint.lint(args.sources)
    print("\n".join(found) or "all lessons follow the rules")
    return 1 if found else 0


def run_build(args) -> int:
    if args.check:
        stale = build.stale_files()
        for path in stale:
            print(f"stale: {path} (run `python -m autograder build`)")
        print("all generated files are current" if not stale else f"{len(stale)} stale file(s)")
        return 1 if stale else 0
    for path in build.build():
        print(f"wrote {path}")
    return 0


def chosen_assignments(args) -> list[str]:
    """The assignments named, or all of the course's with ``--all``."""
    if args.all and args.assignments:
        raise ValueError(f"name assignments or give --all, not both (got {', '.join(args.assignments)} and --all)")
    return assignments(args.course) if args.all else args.assignments


def run_grade(args) -> int:
    limits = stages.Limits(timeout=args.timeout, cell_timeout=args.cell_timeout, memory_mb=args.memory)
    for name in interrupts.HELD:  # SIGTERM stops the grader as Ctrl-C does
        signal.signal(name, interrupts.stop)
    try:
        graded = grade.grade_course(chosen_assignments(args), args.submissions, args.course, db_url=args.db_url,
                                    workers=args.workers, cluster=args.cluster, limits=limits,
                                    pattern=args.pattern, force=args.force,
                                    students=args.students, due=args.due,
                                    feedback_shows_all=args.feedback_shows_all)
    except (SandboxUnavailable, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: the running notebooks were stopped and the students graded so far are kept; "
              "run the same command again to finish", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(130)  # the workers are dead already; the interpreter's teardown would only delay the exit
    for assignment, reports in graded.items():
        if len(graded) > 1:
            print(f"## {assignment}\n")
        grade.print_summary(reports, args.course.resolve(), assignment, cluster=args.cluster)
    return 0


def run_report(args) -> int:
    try:
        chosen = chosen_assignments(args)
        if len(chosen) == 1 and not args.all:
            print(report.class_report(chosen[0], args.course.resolve(), args.db_url))
        else:
            print(report.course_report(chosen, args.course.resolve(), args.db_url))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def run_export(args) -> int:
    try:
        done = export.export(args.assignments, args.lms, args.course.resolve(), args.db_url, args.roster, args.out,
                             args.per_student)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(f"wrote {path}" for path in done.files))
    for title, names in (("graded but not matched to an LMS row (not exported)", done.unmatched),
                         ("in the roster but not graded (left as they were)", done.ungraded),
                         ("feedback not bundled: no LMS file name to name it by", done.unbundled)):
        if names:
            print(f"{title}: {len(names)}\n" + "".join(f"- {name}\n" for name in names), end="")
    return 0


def run_validate(args) -> int:
    try:
        passed, text = validate.validate(args.notebook, cell_timeout=args.cell_timeout)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(text)
    return 0 if passed else 1


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return {"build": run_build, "grade": run_grade, "report": run_report, "validate": run_validate,
            "lint": run_lint, "export": run_export}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
