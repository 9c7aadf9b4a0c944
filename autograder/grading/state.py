"""The typed state that flows through the grading stages: a submission, its flags, its run's result.

Inside the grader, statuses are :class:`Status` and flags are :class:`Flag`. The
report files keep them as text (``"ok"``, ``"timeout: ..."``) for people and other
tools; :func:`flag_kinds` is the one place that reads a report's flags back.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a flag is about. The summary table and the progress lines show the kind, the report the whole flag."""

    # collect: how the submission was handed in
    RENAMED = "renamed"
    EXTRA_FILES = "extra files"
    UNREADABLE = "unreadable"
    LATE = "late"
    # prepare: what the student changed in the release, and what their code attempts
    DELETED = "deleted"
    EDITED = "edited"
    METADATA = "metadata"
    TAGS = "tags"
    NETWORK = "network"
    PROCESS = "process"
    TAMPER = "tamper"
    FILE_ACCESS = "file access"
    # execute and record: what happened while it ran, or to the grader
    TIMEOUT = "timeout"
    MEMORY = "memory"
    KERNEL = "kernel"
    STDERR = "stderr"
    GRADER = "grader"


@dataclass(frozen=True)
class Flag:
    """One thing a person should look at in a student's report."""

    kind: Kind
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class Status(StrEnum):
    """How a notebook's run ended."""

    OK = "ok"
    TIMEOUT = "timeout"  # past the whole-notebook limit
    UNRESPONSIVE = "unresponsive"  # a cell ran past its limit and ignored the interrupt
    MEMORY = "memory"  # the sandbox as a whole went past its memory
    KERNEL_DIED = "kernel died"
    ERROR = "error"  # the grader could not run or record the notebook
    GRADER_STOPPED = "grader stopped"  # no result came back: a killed worker, a stopped grader
    UNREADABLE = "unreadable"  # not run: graded as the blank release

    @property
    def grade_again(self) -> bool:
        """Whether a re-run grades this student again: the grader failed, not the student."""
        return self in (Status.ERROR, Status.GRADER_STOPPED)

    @property
    def flag_kind(self) -> Kind:
        """The kind of flag for a run that stopped this way."""
        return {Status.TIMEOUT: Kind.TIMEOUT, Status.UNRESPONSIVE: Kind.TIMEOUT, Status.ERROR: Kind.GRADER,
                Status.GRADER_STOPPED: Kind.GRADER, Status.MEMORY: Kind.MEMORY}.get(self, Kind.KERNEL)


@dataclass
class Result:
    """What executing one notebook gave: how it ended, how long it took, what to flag."""

    status: Status
    seconds: float
    flags: list[Flag] = field(default_factory=list)
    detail: str = ""  # the grader's own error, for Status.ERROR

    def to_json(self) -> str:
        """The result as the worker's ``result.json`` holds it."""
        return json.dumps(dataclasses.asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> Result:
        data = json.loads(text)
        return cls(Status(data["status"]), data["seconds"],
                   [Flag(Kind(flag["kind"]), flag["message"]) for flag in data["flags"]], data["detail"])


@dataclass
class Submission:
    """One student's chosen notebook on its way through the stages."""

    student: str
    found_as: str  # its path among the submissions, as the LMS named it
    sha256: str
    flags: list[Flag] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        return any(flag.kind is Kind.UNREADABLE for flag in self.flags)


def flag_kinds(report: dict) -> set[Kind]:
    """The kinds of the flags in a report as written to disk."""
    return {Kind(text.split(": ", 1)[0]) for text in report["flags"]}
