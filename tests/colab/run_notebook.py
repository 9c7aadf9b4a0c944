"""Execute a notebook with the kernel of the Python running this script (the fake Colab's)."""

import sys

import nbformat
from nbclient import NotebookClient

source, target = sys.argv[1:3]
notebook = nbformat.read(source, as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True).execute()
nbformat.write(notebook, target)
