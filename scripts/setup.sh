#!/usr/bin/env bash
# Set up a fresh Debian machine for the book: system packages (TeX for the PDF, fonts,
# Chromium for the browser tests, poppler for PDF checks) and the Python environment in .venv.
# Sourced by scripts/build and scripts/test; safe to run again (it skips what is there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

SYSTEM_PACKAGES=(
  texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex latexmk
  fonts-freefont-otf fonts-liberation2 fonts-dejavu-core
  poppler-utils chromium chromium-driver nodejs npm
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  case "$pkg" in nodejs|npm) command -v "${pkg/nodejs/node}" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "[setup] installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Recreate the environment when the pins or the package metadata change.
stamp="$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.panj-stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "[setup] creating the Python environment in .venv"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -e "$ROOT"
  "$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
  echo "$stamp" > "$VENV/.panj-stamp"
fi
# axe-core for the accessibility test, pinned in tests/js/package.json.
if [ ! -f "$ROOT/tests/js/node_modules/axe-core/axe.min.js" ]; then
  echo "[setup] installing the browser test tools (npm)"
  (cd "$ROOT/tests/js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
export PATH="$VENV/bin:$PATH"
