#!/usr/bin/env bash
# Creates the validation venv at <repo>/.venv (gitignored) and installs the
# ecosystem validators. Prints the python path to export as DOSSIER_VALIDATE_PY.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
venv_py="$root/.venv/bin/python"
if [ ! -x "$venv_py" ]; then
    "$python" -m venv "$root/.venv"
fi
"$venv_py" -m pip install --quiet --upgrade pip
"$venv_py" -m pip install --quiet -r "$here/requirements.txt"

# stix2-validator 3.3.1 is published without the OASIS JSON schemas it validates
# against (oasis-open/cti-stix-validator#248): every file fails with "Cannot locate
# a schema". 3.2.0's wheel on PyPI carries the same OASIS schema set, so we put its
# schemas-2.1 directory where 3.3.1 looks for it.
pkg="$("$venv_py" -c 'import os, stix2validator; print(os.path.dirname(stix2validator.__file__))')"
if [ ! -f "$pkg/schemas-2.1/schemas/common/core.json" ]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    "$venv_py" -m pip download --quiet --no-deps --only-binary :all: -d "$tmp" stix2-validator==3.2.0
    "$venv_py" - "$tmp" "$pkg" <<'PY'
import glob, os, sys, zipfile
tmp, pkg = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "stix2_validator-3.2.0-*.whl"))[0])
prefix = "stix2validator/schemas-2.1/"
members = [m for m in wheel.namelist() if m.startswith(prefix) and not m.endswith("/")]
for m in members:
    dest = os.path.join(pkg, m[len("stix2validator/"):])
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with wheel.open(m) as src, open(dest, "wb") as out:
        out.write(src.read())
print(f"installed {len(members)} STIX 2.1 schema files into {pkg}")
PY
fi
echo "DOSSIER_VALIDATE_PY=$venv_py"
