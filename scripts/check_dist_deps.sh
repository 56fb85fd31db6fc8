#!/bin/sh
# `make dist-check` needs, beyond `make sysdeps`: a Secret Service for a real keyring check
# (gnome-keyring, in a throwaway D-Bus session) and the xcb libraries Qt's xcb plugin loads.
missing=""
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing="$missing gnome-keyring"
command -v dbus-run-session >/dev/null 2>&1 || missing="$missing dbus"
for lib in xcb-icccm.so.4:libxcb-icccm4 xcb-keysyms.so.1:libxcb-keysyms1 xcb-image.so.0:libxcb-image0 \
           xcb-render-util.so.0:libxcb-render-util0 xcb-shape.so.0:libxcb-shape0 xkbcommon-x11.so.0:libxkbcommon-x11-0; do
  have_lib "lib${lib%%:*}" || missing="$missing ${lib##*:}"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装打包检查所需软件包 (installing packages for dist-check):$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "缺少系统软件包，请先安装 (missing system packages): sudo apt-get install$missing"
exit 1
