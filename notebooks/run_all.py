"""Executes every notebook of this folder headless (nbclient) against $ILP_WAREHOUSE (default ../warehouse).

Each executed copy, outputs included, goes to $ILP_NOTEBOOK_OUT (default ../target/notebooks); one line per notebook
on stdout (name, ok or the error, seconds); exit 1 when any cell of any notebook failed.
Usage: notebooks/.venv/bin/python notebooks/run_all.py   (after notebooks/setup.sh)
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

here = Path(__file__).resolve().parent
out = Path(os.environ.get("ILP_NOTEBOOK_OUT", here.parent / "target" / "notebooks"))
out.mkdir(parents=True, exist_ok=True)
failed = []
for path in sorted(here.glob("*.ipynb")):
    book = nbformat.read(path, as_version=4)
    start = time.time()
    try:
        NotebookClient(book, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(here)}}).execute()
        status = "ok"
    except CellExecutionError as e:
        failed.append(path.name)
        lines = [l for l in str(e).splitlines() if l.strip()]
        status = "FAILED: " + (lines[-1] if lines else type(e).__name__)
    nbformat.write(book, out / path.name)
    print(f"{path.name}: {status} ({time.time() - start:.1f} s)", flush=True)
sys.exit(1 if failed else 0)
