#!/usr/bin/env bash
# Set up a fresh Debian machine for one of the commands, and put .venv/bin first on PATH:
#   source scripts/setup.sh build   TeX, fonts, poppler; .venv from requirements.lock
#   source scripts/setup.sh test    all of build, plus Chromium, its driver, Node.js, npm and
#                                   axe-core (tests/js); .venv from requirements-test.lock
#   source scripts/setup.sh lab     .venv from requirements-test.lock (it holds JupyterLab)
# Sourced by scripts/build, scripts/test and scripts/lab. Safe to run again: it skips what is
# there, and rebuilds .venv when a lock file, pyproject.toml or the Python version changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PART="${1:?usage: source scripts/setup.sh build|test|lab}"
# An activated .venv must not stand in for the system Python that (re)creates it.
PATH="${PATH//"$VENV/bin:"/}"

BUILD_PACKAGES=(
  texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-xetex latexmk
  fonts-freefont-otf fonts-liberation2 fonts-dejavu-core poppler-utils
)
TEST_PACKAGES=(chromium chromium-driver nodejs npm)

case "$PART" in
  build) system_packages=("${BUILD_PACKAGES[@]}"); lock="requirements.lock" ;;
  test) system_packages=("${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"); lock="requirements-test.lock" ;;
  lab) system_packages=(); lock="requirements-test.lock" ;;
  *) echo "[setup] unknown part '$PART' (build, test or lab)" >&2; return 2 2>/dev/null || exit 2 ;;
esac

if ! command -v python3 >/dev/null; then system_packages+=(python3 python3-venv); fi

_panj_apt_install() {
  echo "[setup] installing system packages: $*"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
for pkg in "${system_packages[@]}"; do
  # Node.js and npm may come from elsewhere than Debian (nodesource, nvm): any on PATH will do.
  case "$pkg" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then _panj_apt_install "${missing[@]}"; fi

# The venv matches a lock exactly: installed with --no-deps from the lock, then checked
# against it. requirements-test.lock holds requirements.lock at the same versions, so a test
# venv also serves the build, and a build venv is topped up for the tests.
_panj_hash() { (cd "$ROOT" && cat "$@" pyproject.toml && python3 --version) | sha256sum | cut -c1-16; }
runtime_stamp="runtime $(_panj_hash requirements.lock)"
test_stamp="test $(_panj_hash requirements.lock requirements-test.lock)"
if [ "$lock" = requirements.lock ]; then want_stamp="$runtime_stamp"; else want_stamp="$test_stamp"; fi
have_stamp="$(cat "$VENV/.panj-stamp" 2>/dev/null || true)"

_panj_pip() { "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$@"; }
_panj_matches_lock() {
  # Every locked package at its locked version, and nothing else (pip and panjbook aside).
  "$VENV/bin/python" - "$ROOT/$1" <<'PY'
import re, sys
from importlib.metadata import distributions

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

locked = {}
for line in open(sys.argv[1], encoding="utf-8"):
    match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
    if match:
        locked[norm(match[1])] = match[2]
installed = {norm(d.metadata["Name"]): d.version for d in distributions()}
for own in ("pip", "panjbook"):
    installed.pop(own, None)
wrong = sorted(set(locked.items()) ^ set(installed.items()))
if wrong:
    print(f"[setup] .venv differs from {sys.argv[1]}: {wrong[:10]}", file=sys.stderr)
    sys.exit(1)
PY
}
_panj_finish_venv() {
  _panj_pip --no-deps --no-build-isolation -e "$ROOT"
  "$VENV/bin/python" -m pip check >/dev/null
  _panj_matches_lock "$lock"
  "$VENV/bin/python" -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" >/dev/null
  echo "$want_stamp" > "$VENV/.panj-stamp"
}

if [ -x "$VENV/bin/python" ] && { [ "$have_stamp" = "$want_stamp" ] || [ "$have_stamp" = "$test_stamp" ]; }; then
  :  # up to date (a test venv serves the build too)
elif [ -x "$VENV/bin/python" ] && [ "$lock" = requirements-test.lock ] && [ "$have_stamp" = "$runtime_stamp" ]; then
  echo "[setup] adding the test packages to .venv ($lock)"
  _panj_pip --no-deps -r "$ROOT/$lock"
  _panj_finish_venv
else
  echo "[setup] creating the Python environment in .venv ($lock)"
  rm -rf "$VENV"
  # Debian's Python has no venv module until python3-venv is installed.
  python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; _panj_apt_install python3-venv; python3 -m venv "$VENV"; }
  _panj_pip --no-deps -r "$ROOT/$lock"
  _panj_finish_venv
fi

if [ "$PART" != build ]; then
  # JupyterLab's settings for this environment: no news or update checks from the network.
  # (Rewritten each time, so a change here reaches existing venvs.)
  mkdir -p "$VENV/share/jupyter/lab/settings"
  cp "$ROOT/scripts/jupyterlab-overrides.json" "$VENV/share/jupyter/lab/settings/overrides.json"
fi

if [ "$PART" = test ]; then
  # axe-core for the accessibility test, pinned in tests/js/package-lock.json.
  npm_stamp="$(sha256sum "$ROOT/tests/js/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$ROOT/tests/js/node_modules/.panj-stamp" 2>/dev/null)" != "$npm_stamp" ]; then
    echo "[setup] installing the browser test tools (npm ci in tests/js)"
    (cd "$ROOT/tests/js" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$npm_stamp" > "$ROOT/tests/js/node_modules/.panj-stamp"
  fi
fi
unset -f _panj_apt_install _panj_hash _panj_pip _panj_matches_lock _panj_finish_venv
export PATH="$VENV/bin:$PATH"
