"""Helpers for the Keras Starter notebooks.

One module per concern: ``env`` (where am I, quiet logs, seeds, budgets),
``data`` (datasets that work online and offline), ``plots`` (figures) and
``checks`` (the friendly self-checks that exercise cells call).
"""

__version__ = "0.1.0"
