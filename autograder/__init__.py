"""Instructor tooling around nbgrader: :mod:`.authoring` builds and checks the course, :mod:`.grading` grades a class."""
