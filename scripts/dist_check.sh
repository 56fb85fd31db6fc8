#!/bin/sh
# `make dist-check`: the frozen one-folder app, offscreen, against throwaway data and a throwaway
# Secret Service (gnome-keyring in its own D-Bus session and HOME), so the keyring check is real
# and nothing of the user's is touched.
set -eu
# pipefail where the shell has it (dash does not): a failing app must fail the check, not tee
(set -o pipefail 2>/dev/null) && set -o pipefail
APP="${1:-dist/agent-desk/agent-desk}"
[ -x "$APP" ] || { echo "找不到 $APP，请先运行 make dist (run make dist first)"; exit 1; }
APP="$(cd "$(dirname "$APP")" && pwd)/$(basename "$APP")"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
export QT_QPA_PLATFORM=offscreen HOME="$SCRATCH/home" XDG_DATA_HOME="$SCRATCH/home/.local/share"
export AGENT_DESK_HOME="$SCRATCH/desk" XDG_RUNTIME_DIR="$SCRATCH/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

checks() {
  if command -v gnome-keyring-daemon >/dev/null 2>&1; then
    printf 'dist-check' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  fi
  echo "== selftest"
  timeout 300 "$APP" selftest
  echo "== gui start (settings present, empty desk)"
  mkdir -p "$AGENT_DESK_HOME"
  printf '{"version": 2, "values": {}}' > "$AGENT_DESK_HOME/settings.json"
  timeout 120 "$APP" gui --quit-when-ready | tee "$SCRATCH/gui.out"
  grep -q '^ready ' "$SCRATCH/gui.out"
  if command -v xvfb-run >/dev/null 2>&1; then
    echo "== gui start on xcb (xvfb)"
    timeout 120 xvfb-run -a env QT_QPA_PLATFORM=xcb "$APP" gui --quit-when-ready | tee "$SCRATCH/xcb.out"
    grep -q '^ready ' "$SCRATCH/xcb.out"
  fi
  echo "dist-check 通过 (passed)"
}

if [ "${DIST_CHECK_INNER:-}" = 1 ]; then checks; exit; fi
if command -v dbus-run-session >/dev/null 2>&1; then
  DIST_CHECK_INNER=1 exec dbus-run-session -- sh "$0" "$APP"
fi
echo "没有 dbus-run-session；钥匙串检查将使用系统会话 (no dbus-run-session: using the session keyring)"
checks
