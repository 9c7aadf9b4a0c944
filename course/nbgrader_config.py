"""nbgrader settings for the Keras Starter course (read from this folder)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "keras-starter"

# Grading runs every notebook in fast mode: small samples, few epochs.
os.environ.setdefault("KERAS_STARTER_BUDGET", "fast")

# Per-cell limit: fast-mode training cells take seconds; this leaves room for slow machines.
c.Execute.timeout = 180

# TensorFlow and its C++ runtime write start-up chatter to stderr, and nbgrader scores
# any graded cell with stderr output as zero. The notebooks silence it before importing
# TensorFlow; this catches what slips through without hiding a learner's own errors.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"absl::InitializeLog|oneDNN custom operations|TF_ENABLE_ONEDNN_OPTS"
    r"|This TensorFlow binary is optimized|Unable to register cu(DNN|FFT|BLAS)"
    r"|computation placer already registered|cuda_(dnn|fft|blas|executor)\.cc"
    r"|cudart_stub\.cc|Could not find cuda drivers"
)

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# The text source of each master notebook holds the solutions: never release it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "[0-9][0-9]-*.py",
                            "[0-9][0-9]-datasets"]  # what notebooks 01-02 write when run in place
