"""Helpers for the Keras Starter notebooks.

One module per concern: ``env`` (where am I, quiet logs, seeds, budgets),
``data`` (datasets that work online and offline), ``folders`` (image-folder
datasets), ``augment`` (one-pass geometric augmentation), ``plots``
(figures), ``corners`` (the Harris demo), ``widgets`` (interactive
explorers), ``checks`` (the friendly self-checks that exercise cells call, one
module per lesson), ``metrics`` (what the lessons measure), ``failures`` (how a
failing exercise shows), ``progress`` (which exercises are done) and ``lab``
(the settings of the learner's JupyterLab, ``make lab``).
"""

__version__ = "0.1.0"
