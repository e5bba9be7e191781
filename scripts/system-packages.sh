#!/usr/bin/env bash
# Installs the Debian packages the portal needs and are missing: venv for Debian's Python, Pango and
# HarfBuzz for WeasyPrint, CJK fonts so Chinese renders in PDFs, and gettext to compile the
# project's message catalogue. With --with-browser also Debian's Chromium, which the browser tests
# drive through Playwright, and LibreOffice Calc for the workbook's print test. Does nothing when
# they are all present.
set -euo pipefail

PACKAGES=(
  python3-venv
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  fontconfig
  fonts-noto-cjk
  gettext
)
if [ "${1:-}" = "--with-browser" ]; then
  # Chromium for the browser tests; LibreOffice Calc (no GUI) converts the workbook to PDF in the
  # test that checks it prints like the PDF.
  PACKAGES+=(chromium libreoffice-calc-nogui)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
