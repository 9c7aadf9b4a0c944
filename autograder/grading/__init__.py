"""Grading a class, in four stages (collect, prepare, execute, record) that :mod:`.grade` schedules;
the sandbox, the executors, and the reports and exports built from the gradebook."""
