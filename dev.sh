#!/usr/bin/env bash
# Set-up and the two everyday commands:  ./dev.sh launch [ARGS]   ./dev.sh test [PYTEST ARGS]
# launch installs only the program's own packages; test adds the test extras (pytest, lifelines, ...).
# Idempotent: the virtual environment (.venv) is made once and refreshed only when
# pyproject.toml changes; missing system libraries for Qt are installed with apt when possible.
set -euo pipefail
cd "$(dirname "$0")"
cmd="${1:-launch}"; shift || true

say() { printf 'dev.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

QT_LIBS="libEGL.so.1:libegl1 libGL.so.1:libgl1 libX11.so.6:libx11-6 libdbus-1.so.3:libdbus-1-3
libfontconfig.so.1:libfontconfig1 libfreetype.so.6:libfreetype6 libglib-2.0.so.0:libglib2.0-0
libxkbcommon.so.0:libxkbcommon0"
XCB_LIBS="libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0
libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-render-util.so.0:libxcb-render-util0 libxcb-render.so.0:libxcb-render0
libxcb-shape.so.0:libxcb-shape0 libxcb-util.so.1:libxcb-util1 libxcb-xkb.so.1:libxcb-xkb1
libxkbcommon-x11.so.0:libxkbcommon-x11-0"

ensure_system() {
  local want="$QT_LIBS" missing=()
  [ "$cmd" = launch ] && want="$want $XCB_LIBS"
  command -v python3 >/dev/null || missing+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  local cache; cache=$(ldconfig -p 2>/dev/null || true)
  for pair in $want; do
    grep -q "${pair%%:*}" <<<"$cache" || missing+=("${pair##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
      as_root apt-get update -qq >/dev/null 2>&1
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    say "please install: ${missing[*]} (no apt-get or no root/sudo here)"; exit 1
  fi
}

ensure_venv() {
  # $1: "runtime" (what the program needs) or "test" (plus pytest, lifelines, statsmodels, ...)
  local want="$1"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { say "Python 3.11 or newer is needed"; exit 1; }
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp=.venv/.evidencegui-installed sum have
  sum=$(sha256sum pyproject.toml | cut -d' ' -f1)
  have=$(cat "$stamp" 2>/dev/null || true)
  # a test install also covers launch; a runtime install does not cover test
  if [ "$have" = "$sum test" ] || [ "$have" = "$sum $want" ]; then return 0; fi
  if [ "$want" = test ]; then
    say "installing the program and the test packages into .venv (first run only)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  else
    say "installing the program's packages into .venv (first run only)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -e .
  fi
  echo "$sum $want" > "$stamp"
}

case "$cmd" in
  launch)
    ensure_system; ensure_venv runtime
    exec .venv/bin/python -m evidencegui "$@" ;;
  test)
    ensure_system; ensure_venv test
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    exec .venv/bin/python -m pytest "$@" ;;
  setup)
    ensure_system; ensure_venv "${1:-runtime}" ;;
  *) say "usage: ./dev.sh launch [FILE] | ./dev.sh test [pytest args] | ./dev.sh setup [runtime|test]"; exit 2 ;;
esac
