"""Write, as JSON to the file given, the controls of every ``starter_lib.widgets`` explorer:
what a learner can move."""

import json
import sys
from pathlib import Path

import numpy as np

from starter_lib import widgets


def controls(explorer) -> list[dict]:
    """Type, label and settings of each child widget (a drawn picture's bytes left out)."""
    found = []
    for child in explorer.children:
        settings = {key: getattr(child, key) for key in ("description", "value", "min", "max", "step", "options")
                    if hasattr(child, key) and not isinstance(getattr(child, key), (bytes, memoryview))}
        found.append({"type": type(child).__name__, **settings})
    return found


image = np.zeros((48, 64, 3), dtype=np.uint8)
explorers = {"learning rate": controls(widgets.learning_rate_explorer()),
             "harris": controls(widgets.harris_explorer(image)),
             "augmentation": controls(widgets.augmentation_explorer(image))}
Path(sys.argv[1]).write_text(json.dumps(explorers, default=list, sort_keys=True))
