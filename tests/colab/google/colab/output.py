"""Stand-in for ``google.colab.output``: records that the widget manager was enabled."""

import os
from pathlib import Path


def enable_custom_widget_manager():
    Path(os.environ["FAKE_COLAB_MARKER"]).write_text("custom widget manager enabled\n")
