#!/bin/sh
# Install EvidenceGUI from the unpacked tarball for all users (run as root):
#   sudo ./install.sh            -> /opt/evidencegui, /usr/local/bin/evidencegui, menu entry, icon
#   sudo ./install.sh --uninstall
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=/opt/evidencegui
apps=/usr/share/applications
icons=/usr/share/icons/hicolor/256x256/apps
mime=/usr/share/mime/packages
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$prefix" /usr/local/bin/evidencegui "$apps/evidencegui.desktop" "$icons/evidencegui.png" \
    "$mime/evidencegui-mime.xml"
else
  rm -rf "$prefix" && mkdir -p "$prefix" "$apps" "$icons" "$mime"
  cp -a "$here/evidencegui/." "$prefix/"
  ln -sf "$prefix/evidencegui" /usr/local/bin/evidencegui
  cp "$here/evidencegui.desktop" "$apps/evidencegui.desktop"
  cp "$here/evidencegui.png" "$icons/evidencegui.png"
  [ -f "$here/evidencegui-mime.xml" ] && cp "$here/evidencegui-mime.xml" "$mime/"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
echo "EvidenceGUI ${1:+un}installed."
