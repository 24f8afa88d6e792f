# Sourced by the other scripts: make sure .venv exists and holds the project.
# PRESSEARCH_EXTRAS names the optional dependencies to install with it ("" for serving only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
    # The machine's pip 23.2 fails on some extras (lxml): upgrade it first.
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${PRESSEARCH_EXTRAS:+[$PRESSEARCH_EXTRAS]}"
