"""Public self-checks that the visible test cells of the notebooks call, one module per lesson.

Each check raises :class:`CheckFailed` with a message that says what was
expected and what came ("softmax rows must sum to 1; row 3 sums to 2.0") and
never shows the solution. A check that passes returns ``None`` quietly.
Notebooks call them as ``checks.check_*``; the modules are
:mod:`~starter_lib.checks.core` (the shared failure and helpers) and
``lesson01`` to ``lesson07``, in lesson order.
"""

from starter_lib.checks.core import CheckFailed, expect
from starter_lib.checks.lesson01 import (
    check_scale_pixels, check_split_dataset, check_count_per_class, check_imbalance_ratio,
    check_load_split,
)
from starter_lib.checks.lesson02 import (
    check_augmenter, check_normalizer, check_input_pipeline, check_with_augmentation, check_choice,
)
from starter_lib.checks.lesson03 import (
    check_sigmoid, check_softmax, check_cross_entropy, check_logistic_regression,
    check_trained_model,
)
from starter_lib.checks.lesson04 import (
    check_xor_mlp, check_xor_solved, check_preprocessor, check_split_then_scale, check_mlp,
)
from starter_lib.checks.lesson05 import (
    check_harris_response, check_conv_output_length, check_conv_params, check_cnn,
)
from starter_lib.checks.lesson06 import (
    check_weight_penalty, check_regularized_mlp, check_early_stopping, check_step_decay,
    check_gap_reduced,
)
from starter_lib.checks.lesson07 import (
    check_simple_rnn_forward, check_sequence_classifier, check_windows, check_lstm_forecaster,
    check_beats_naive,
)
