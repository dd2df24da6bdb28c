#!/usr/bin/env bash
# Creates the validation venv at <repo>/.venv (gitignored) and installs the
# ecosystem validators. Prints the python path to export as DOSSIER_VALIDATE_PY.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$root/.venv/bin/python" ]; then
    "$python" -m venv "$root/.venv"
fi
"$root/.venv/bin/python" -m pip install --quiet --upgrade pip
"$root/.venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
echo "DOSSIER_VALIDATE_PY=$root/.venv/bin/python"
