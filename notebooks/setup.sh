#!/usr/bin/env bash
# Creates the notebooks' Python environment (notebooks/.venv, or $ILP_NOTEBOOK_VENV) with requirements.txt:
# offline from a folder of wheels when there is one ($ILP_WHEELS, else /opt/pypi/files), else from the package index.
# Prints the environment's folder on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${ILP_NOTEBOOK_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
wheels="${ILP_WHEELS:-}"
if [ -z "$wheels" ] && [ -d /opt/pypi/files ]; then
  wheels=/opt/pypi/files
fi
if [ -n "$wheels" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$wheels" -r "$here/requirements.txt" >&2
else
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
fi
echo "$venv"
