#!/bin/sh
# Install EvidenceGUI from the unpacked tarball for all users (run as root):
#   sudo ./install.sh            -> /opt/evidencegui, /usr/local/bin/evidencegui, menu entry, icon
#   sudo ./install.sh --uninstall
#   DESTDIR=/tmp/root ./install.sh   (stage into another root, e.g. for a package build)
set -eu
root="${DESTDIR:-}"
here=$(cd "$(dirname "$0")" && pwd)
prefix="$root/opt/evidencegui"
apps="$root/usr/share/applications"
icons="$root/usr/share/icons/hicolor/256x256/apps"
mime="$root/usr/share/mime/packages"
bin="$root/usr/local/bin"
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$prefix" "$bin/evidencegui" "$apps/evidencegui.desktop" "$icons/evidencegui.png" \
    "$mime/evidencegui-mime.xml"
else
  rm -rf "$prefix" && mkdir -p "$prefix" "$apps" "$icons" "$mime" "$bin"
  cp -a "$here/evidencegui/." "$prefix/"
  ln -sf /opt/evidencegui/evidencegui "$bin/evidencegui"
  cp "$here/evidencegui.desktop" "$apps/evidencegui.desktop"
  cp "$here/evidencegui.png" "$icons/evidencegui.png"
  [ -f "$here/evidencegui-mime.xml" ] && cp "$here/evidencegui-mime.xml" "$mime/"
fi
[ -n "$root" ] && { echo "EvidenceGUI staged in $root."; exit 0; }
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
echo "EvidenceGUI ${1:+un}installed."
