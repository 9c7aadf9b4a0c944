"""The learner's JupyterLab (``make lab``): no instructor tools, and notebooks that open unmodified.

    python -m starter_lib.lab FOLDER   # write the settings; then start Lab with JUPYTER_CONFIG_PATH=FOLDER

nbgrader's Lab extension adds the Formgrader, Create Assignment, course and
assignment lists and an Nbgrader menu, which only an instructor needs: the
settings switch them off. And on kernel start JupyterLab writes the kernel's
own description (kernel spec, ``language_info`` with the exact Python version)
into the notebook, marking a notebook built elsewhere as modified the moment it
opens: the settings' contents manager hands Lab each notebook already described
as this environment's Python kernel describes itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

INSTRUCTOR_PLUGINS = ["formgrader", "create-assignment", "menu", "course-list", "assignment-list"]


def kernel_metadata(kernel_name: str = "python3") -> dict:
    """The ``kernelspec`` and ``language_info`` metadata JupyterLab sets for ``kernel_name``."""
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    return {"kernelspec": {"display_name": spec.display_name, "language": spec.language, "name": kernel_name},
            "language_info": dict(IPythonKernel.language_info)}


class LearnerContentsManager(AsyncLargeFileManager):
    """Files as usual; Python notebooks described as this environment's Python kernel describes itself."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model["type"] == "notebook":
            kernel = model["content"].metadata.get("kernelspec", {}).get("name", "python3")
            if kernel == "python3":
                model["content"].metadata.update(kernel_metadata(kernel))
        return model


def write_learner_config(folder: Path) -> None:
    """Write the learner's Lab settings into ``folder``, a Jupyter config directory."""
    disabled = {f"@jupyter/nbgrader:{plugin}": True for plugin in INSTRUCTOR_PLUGINS}
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}, indent=2))
    server = {"ServerApp": {"contents_manager_class": f"{__name__}.{LearnerContentsManager.__name__}"}}
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=2))


if __name__ == "__main__":
    write_learner_config(Path(sys.argv[1]))
