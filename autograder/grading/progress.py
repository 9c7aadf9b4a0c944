"""What the grader prints: a progress bar while it runs and a summary table at the end."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from autograder.grading.state import flag_kinds

BAR_WIDTH = 30


class Progress:
    """A one-line progress bar on a terminal; one line per finished student elsewhere (logs, CI)."""

    def __init__(self, total: int, stream: TextIO = sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.started = time.monotonic()
        self.live = stream.isatty()

    def update(self, running: int, finished: str | None = None) -> None:
        """Redraw after a change; ``finished`` is a line about the student who just finished."""
        if finished is not None:
            self.done += 1
        elapsed = time.monotonic() - self.started
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} graded, " \
              f"{running} running, {elapsed:.0f} s"
        if self.live:
            prefix = f"\r\033[K{finished}\n" if finished else "\r\033[K"
            self.stream.write(prefix + bar)
        elif finished:
            self.stream.write(f"{bar}: {finished}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


def summary_table(reports: list[dict]) -> str:
    """A Markdown table: one row per student with score (marked when adjusted by hand), status, time, flag kinds."""
    rows = ["| student | score | status | seconds | flags |", "|---|---|---|---|---|"]
    for report in sorted(reports, key=lambda r: r["student"]):
        kinds = sorted(flag_kinds(report))
        score = "-" if report["score"] is None else f"{report['score']:g} / {report['max_score']:g}"
        score += " (adjusted)" if report.get("adjusted") else ""
        rows.append(f"| {report['student']} | {score} | {report['status']} | {report['seconds']:g} "
                    f"| {', '.join(kinds) or '-'} |")
    return "\n".join(rows)
