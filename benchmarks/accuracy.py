"""Test accuracy of the course's full-mode recipes next to the old tutorials' reference results.

    python -m benchmarks.accuracy [--only mlp cnn]

Every course model is built and trained by the solution cells of a master
notebook (the code nbgrader strips from learner copies), for the number of
epochs that notebook gives it in full mode, on real MNIST from the offline
mirror in ``$KERAS_STARTER_DATA`` or wherever the course finds it. Accuracy is
measured on MNIST's 10,000 test images, which no recipe trains or validates on.
Writes ``results/accuracy_cpu`` or ``results/accuracy_gpu`` (.json and .md).
"""

from __future__ import annotations

import argparse
import functools
import math
import re
import time
from dataclasses import dataclass
from typing import Callable

from autograder.course import SOURCE_DIR
from benchmarks.report import publish, use_mnist_mirror
from starter_lib import env

env.quiet_tensorflow()

import keras  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402

from starter_lib import data  # noqa: E402

GOAL_EPOCHS = 6  # the epochs within which the MLP and the CNN must beat their reference


@functools.cache
def master(name: str):
    return nbformat.read(SOURCE_DIR / name / f"{name}.ipynb", as_version=4)


def solutions(name: str) -> dict:
    """Run the solution cells of master notebook ``name``; return the names they define."""
    namespace = {"keras": keras, "np": np, "math": math}
    for cell in master(name).cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(compile(cell.source, f"{name}:{cell.metadata.nbgrader.grade_id}", "exec"), namespace)
    return namespace


def full_epochs(name: str, trainer: str) -> int:
    """The full-mode epochs of the notebook cell that calls ``trainer`` (``env.pick(fast=.., full=N)``)."""
    for cell in master(name).cells:
        if cell.cell_type == "code" and f"{trainer}(" in cell.source and "def " + trainer not in cell.source:
            found = re.search(r"env\.pick\(fast=\d+, full=(\d+)\)", cell.source)
            if found:
                return int(found[1])
    raise LookupError(f"no cell of {name} calls {trainer} with env.pick(fast=..., full=N) epochs")


@dataclass
class Row:
    key: str
    reference: str
    reference_result: str
    reference_epochs: int
    recipe: str
    run: Callable[[], tuple[float, int]]  # returns (test accuracy, epochs trained)
    goal: float | None = None  # accuracy to reach within GOAL_EPOCHS


@functools.cache
def mnist_split():
    digits = data.load_digit_images(prefer="mnist")
    if digits.name != "mnist":
        raise SystemExit("MNIST is needed: set KERAS_STARTER_DATA to a folder holding mnist.npz")
    return digits


@functools.cache
def mnist(channels: bool = False):
    """MNIST's three splits scaled to [0, 1], with a channel axis when ``channels``."""
    digits = mnist_split()

    def scale(images):
        x = images.astype("float32") / 255.0
        return x[..., np.newaxis] if channels else x

    return (scale(digits.x_train), digits.y_train, scale(digits.x_val), digits.y_val,
            scale(digits.x_test), digits.y_test)


def test_accuracy(model, x_test, y_test) -> float:
    predicted = np.argmax(model.predict(x_test, batch_size=1000, verbose=0), axis=-1)
    return float(np.mean(predicted == y_test))


def trained(model, train: Callable, epochs: int, channels: bool = False) -> tuple[float, int]:
    """Train ``model`` with a notebook's ``train_*`` solution on MNIST; test accuracy and epochs."""
    x_train, y_train, x_val, y_val, x_test, y_test = mnist(channels)
    history = train(model, x_train, y_train, x_val, y_val, epochs=epochs)
    return test_accuracy(model, x_test, y_test), len(history.epoch)


def old_recipe(model) -> tuple[float, int]:
    """The old tutorial's training as it was: plain SGD, learning rate 0.01, batches of 100, 5 epochs."""
    x_train, y_train, _, _, x_test, y_test = mnist()
    model.compile(keras.optimizers.SGD(learning_rate=0.01), "sparse_categorical_crossentropy")
    model.fit(x_train, y_train, batch_size=100, epochs=5, verbose=0)
    return test_accuracy(model, x_test, y_test), 5


def sigmoid_net():
    """The old tutorial's first MNIST network: Dense(10, sigmoid) then Dense(10, softmax)."""
    return keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="sigmoid"),
                             keras.layers.Dense(10, activation="softmax")], name="sigmoid_net")


def two_layer_mlp():
    """Notebook 04's MLP with a second hidden layer of 512 (its third experiment)."""
    return keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(512, activation="relu"), keras.layers.Dense(512, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")], name="mlp_2x512")


def xor(course: dict) -> tuple[float, int]:
    """Notebook 04's XOR network and training (``course``: its solutions); accuracy on the four points."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([0, 1, 1, 0], dtype="float32")
    model = course["build_xor_mlp"]()
    history = course["train_xor"](model, x, y)
    return float(np.mean((model.predict(x, verbose=0)[:, 0] > 0.5) == y)), len(history.epoch)


def rows() -> list[Row]:
    logreg, mlp, cnn = (solutions(name) for name in
                    ("03-logistic-regression", "04-multi-layer-perceptron", "05-convolutional-networks"))
    lr_epochs = full_epochs("03-logistic-regression", "train_logistic_regression")
    mlp_epochs = full_epochs("04-multi-layer-perceptron", "train_mlp")
    cnn_epochs = full_epochs("05-convolutional-networks", "train_cnn")
    train_lr, train_mlp, train_cnn = logreg["train_logistic_regression"], mlp["train_mlp"], cnn["train_cnn"]
    return [
        Row("sigmoid", "MNIST Dense(10, sigmoid) + Dense(10, softmax)", "90.2 % claimed", 5,
            "the same network, rerun with the old SGD lr 0.01", lambda: old_recipe(sigmoid_net())),
        Row("sigmoid-course", "MNIST Dense(10, sigmoid) + Dense(10, softmax)", "90.2 % claimed", 5,
            "the same network, notebook 03's training (Adam)",
            lambda: trained(sigmoid_net(), train_lr, 5)),
        Row("logistic", "logistic regression on pixels", "about 12 % (a 20-class 32x32 set, not MNIST)", 5,
            "notebook 03 on MNIST", lambda: trained(logreg["build_logistic_regression"]((28, 28), 10), train_lr,
                                                   lr_epochs)),
        Row("mlp", "MNIST MLP, one hidden layer of 512 relu", "98.31 %", 60, "notebook 04",
            lambda: trained(mlp["build_mlp"]((28, 28), 10), train_mlp, mlp_epochs), goal=0.9831),
        Row("mlp2", "MNIST MLP, two hidden layers of 512", "98.59 %", 60, "notebook 04, experiment 3",
            lambda: trained(two_layer_mlp(), train_mlp, mlp_epochs)),
        Row("cnn", "MNIST CNN, 93,322 parameters", "99.34 %", 60, "notebook 05",
            lambda: trained(cnn["build_cnn"]((28, 28, 1), 10), train_cnn, cnn_epochs, channels=True),
            goal=0.9934),
        Row("xor", "XOR, Dense(8)-Dense(4)-Dense(1)", "100 %", 300, "notebook 04 (4 points repeated 64 times)",
            lambda: xor(mlp)),
    ]


def measure(row: Row) -> dict:
    env.seed_everything(0)
    started = time.perf_counter()
    accuracy, epochs = row.run()
    seconds = time.perf_counter() - started
    result = {"key": row.key, "reference": row.reference, "reference result": row.reference_result,
              "reference epochs": row.reference_epochs, "course recipe": row.recipe,
              "test accuracy": f"{100 * accuracy:.2f} %", "epochs": epochs, "seconds": round(seconds, 1),
              "accuracy": accuracy}
    if row.goal is not None:
        met = accuracy >= row.goal and epochs <= GOAL_EPOCHS
        result["goal"] = f"{'met' if met else 'MISSED'}: >= {100 * row.goal:.2f} % in <= {GOAL_EPOCHS} epochs"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="row keys: sigmoid sigmoid-course logistic mlp mlp2 cnn xor")
    args = parser.parse_args()
    use_mnist_mirror()
    chosen = [row for row in rows() if not args.only or row.key in args.only]
    mnist(), mnist(channels=True)  # loaded once, before the clocks start
    results = [measure(row) for row in chosen]
    name = "accuracy_gpu" if env.gpu_names() else "accuracy_cpu"
    publish(name, "Accuracy against the old tutorials' references", results,
            ["reference", "reference result", "reference epochs", "course recipe", "test accuracy", "epochs",
             "seconds", "goal"],
            notes="Test accuracy on MNIST's 10,000 test images (XOR: its four points); one run, seed 0; "
                  "seconds: training and testing.")


if __name__ == "__main__":
    main()
