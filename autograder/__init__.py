"""Instructor tooling around nbgrader: build the learner copies, grade, report."""
