"""Authoring the course: build the notebooks and learner copies, lint the lessons, validate a notebook."""
