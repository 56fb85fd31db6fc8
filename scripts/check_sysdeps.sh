#!/bin/sh
# Check (and, as root on Debian/Ubuntu, install) the system packages Qt, the documents and printing need.
missing=""
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libEGL.so.1 || missing="$missing libegl1"
have_lib libxkbcommon.so.0 || missing="$missing libxkbcommon0"
have_lib libfontconfig.so.1 || missing="$missing libfontconfig1"
have_lib libdbus-1.so.3 || missing="$missing libdbus-1-3"
have_lib libGL.so.1 || missing="$missing libgl1"
have_lib libxcb-cursor.so.0 || missing="$missing libxcb-cursor0"
# Qt's xcb plugin (a real window, or Xvfb for `make run` on a headless box) loads these.
for lib in xcb-icccm.so.4:libxcb-icccm4 xcb-keysyms.so.1:libxcb-keysyms1 xcb-image.so.0:libxcb-image0 \
           xcb-render-util.so.0:libxcb-render-util0 xcb-shape.so.0:libxcb-shape0 xkbcommon-x11.so.0:libxkbcommon-x11-0; do
  have_lib "lib${lib%%:*}" || missing="$missing ${lib##*:}"
done
fc-list :lang=zh 2>/dev/null | grep -q . || missing="$missing fonts-wqy-microhei"
command -v xvfb-run >/dev/null 2>&1 || missing="$missing xvfb xauth"
# .docx -> PDF for print preview and printing (and their tests); without a GUI, so no X libraries.
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
# The hub's TLS test and the 200-desk bench put nginx in front of two workers (deploy/).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
# The hub's systemd unit is checked with systemd-analyze.
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统依赖 (installing system packages):$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "缺少系统软件包，请先安装 (missing system packages): sudo apt-get install$missing"
exit 1
