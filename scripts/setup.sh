#!/usr/bin/env bash
# Installs what bhyt-kiosk needs on a Debian 12 (or Ubuntu 22.04+) machine:
# the Debian libraries Qt, ZBar and the virtual display need, then a virtualenv in .venv.
#   scripts/setup.sh          # the app
#   scripts/setup.sh --test   # the app and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

debs=(
  python3 python3-venv python3-pip ca-certificates
  libzbar0
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-xkb1 libx11-xcb1
  libpulse0 fonts-dejavu-core xvfb xauth
  xdotool x11-xserver-utils
  libusb-1.0-0  # USB receipt printers (python-escpos through pyusb); fonts-dejavu-core: Vietnamese in ticket PDFs
)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
echo "bhyt-kiosk installed in $(pwd)/.venv"
