"""What the tests of starter_lib.checks share: the failure assertion and small reference models.

Reference answers live here and in the test files, never in the library.
"""

from __future__ import annotations

import numpy as np
import pytest

from starter_lib import checks


def fails(check, *args, match: str, **kwargs) -> str:
    """Assert that ``check(*args, **kwargs)`` fails with a message matching ``match`` that shows no code."""
    with pytest.raises(checks.CheckFailed, match=match) as caught:
        check(*args, **kwargs)
    message = str(caught.value)
    assert "np." not in message and "def " not in message, f"the message shows code: {message}"
    return message


def keras_stack(*layers, shape=(28, 28)):
    import keras

    return keras.Sequential([keras.Input(shape), *layers])


def constant_classifier(probabilities):
    """A model that gives every input the same class probabilities."""
    import keras

    model = keras_stack(keras.layers.Dense(len(probabilities), activation="softmax"), shape=(1,))
    model.set_weights([np.zeros((1, len(probabilities))), np.log(np.asarray(probabilities))])
    return model


def good_windows(series, window, horizon, batch_size=32, shuffle=False):
    import keras

    series = np.asarray(series, dtype="float32")
    return keras.utils.timeseries_dataset_from_array(series[:, None], series[window + horizon - 1:], window,
                                                     batch_size=batch_size, shuffle=shuffle)


def shifted_last_value(shift):
    """A forecaster that predicts the window's last value plus ``shift``."""
    import keras

    return keras_stack(keras.layers.Lambda(lambda x: x[:, -1, :] + shift), shape=(3, 1))

