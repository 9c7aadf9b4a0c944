"""One rule for stderr in graded cells, shared by ``grade`` and ``validate``.

nbgrader scores a graded code cell with any stderr output as 0. A Python
kernel reports every exception as an error output, so stderr there is only
noise (warnings, logging) and must not cost a right answer its points.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade


class RelabelStderr(NbGraderPreprocessor):
    """Show stderr text in graded code cells as ordinary output; ``relabelled`` lists those cells."""

    def preprocess(self, nb, resources):
        self.relabelled: list[str] = []
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not is_grade(cell):
            return cell, resources
        noisy = [out for out in cell.outputs if out.output_type == "stream" and out.name == "stderr"]
        for out in noisy:
            out.name = "stdout"
        if noisy:
            self.relabelled.append(cell.metadata.nbgrader.get("grade_id", f"cell {index + 1}"))
        return cell, resources
