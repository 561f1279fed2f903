#!/usr/bin/env bash
# One command from a clean checkout to the Linux one-folder build and its tarball:
#   installer/build.sh            (uses .venv; makes it when missing)
#   BUILD_VENV=/tmp/bvenv installer/build.sh   (a separate build venv: only runtime + pyinstaller)
# Result: dist/evidencegui/ (run dist/evidencegui/evidencegui) and
#         dist/evidencegui-<version>-linux-<arch>.tar.gz (folder + .desktop file + icon + INSTALL.txt)
# Prints build time and bundle size. On Windows/macOS run the pyinstaller line by hand (see
# installer/windows/README.md and installer/macos/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
VENV="${BUILD_VENV:-.venv}"
say() { printf 'build.sh: %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  say "making the build venv $VENV"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import PyInstaller, evidencegui, PySide6, pyqtgraph, pandas, openpyxl, pptx' 2>/dev/null; then
  say "installing the program and PyInstaller into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[build]"
fi
version=$("$VENV/bin/python" -c 'import evidencegui; print(evidencegui.__version__)')
arch=$(uname -m)

say "running PyInstaller (about 1-2 minutes)"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/evidencegui.spec
built=$(date +%s)

name="evidencegui-$version-linux-$arch"
stage="build/tar/$name"
rm -rf build/tar && mkdir -p "$stage"
cp -a dist/evidencegui "$stage/evidencegui"
cp installer/linux/evidencegui.desktop installer/linux/evidencegui-mime.xml installer/linux/install.sh "$stage/"
cp installer/linux/INSTALL.txt "$stage/"
icon=$(ls resources/icons/evidencegui.png resources/icons/*.png 2>/dev/null | head -1 || true)
cp "${icon:-installer/icons/evidencegui.png}" "$stage/evidencegui.png"
tar -C build/tar -czf "dist/$name.tar.gz" "$name"
end=$(date +%s)

say "build time: $(( built - start )) s PyInstaller, $(( end - start )) s in all"
say "bundle size: $(du -sh dist/evidencegui | cut -f1) (dist/evidencegui), tarball $(du -h "dist/$name.tar.gz" | cut -f1) (dist/$name.tar.gz)"
say "check it: QT_QPA_PLATFORM=offscreen dist/evidencegui/evidencegui --smoke-test"
