#!/bin/sh
# Check (and, as root on Debian/Ubuntu, install) the system packages Qt and the documents need.
missing=""
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libEGL.so.1 || missing="$missing libegl1"
have_lib libxkbcommon.so.0 || missing="$missing libxkbcommon0"
have_lib libfontconfig.so.1 || missing="$missing libfontconfig1"
have_lib libdbus-1.so.3 || missing="$missing libdbus-1-3"
have_lib libGL.so.1 || missing="$missing libgl1"
have_lib libxcb-cursor.so.0 || missing="$missing libxcb-cursor0"
fc-list :lang=zh 2>/dev/null | grep -q . || missing="$missing fonts-wqy-microhei"
command -v xvfb-run >/dev/null 2>&1 || missing="$missing xvfb xauth"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统依赖 (installing system packages):$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "缺少系统软件包，请先安装 (missing system packages): sudo apt-get install$missing"
exit 1
