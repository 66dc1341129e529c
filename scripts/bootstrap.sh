#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: the image libraries pillow-simd builds against (Debian
# packages; for dev also Dovecot, the tests' IMAP server), a virtual environment in .venv, and the package:
# `runtime` (what `make serve` needs) or `dev` (the default: runtime plus the test and lint tools). Safe to run
# again: it does nothing when everything is already in place. Each kind keeps its own stamp, so a dev install
# also satisfies a runtime one.
set -euo pipefail
cd "$(dirname "$0")/.."

KIND=${1:-dev}
case "$KIND" in
  runtime) TARGET='.' ;;
  dev) TARGET='.[dev]' ;;
  *) echo "usage: $0 [runtime|dev]" >&2; exit 2 ;;
esac

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: Python >= 3.11 is required (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

# pillow-simd is compiled from source: WebP, TIFF and LittleCMS headers must exist before it builds.
IMAGE_LIBS=(libjpeg-dev zlib1g-dev libwebp-dev libtiff-dev liblcms2-dev)
missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in "${IMAGE_LIBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing system packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  rm -f .venv/.installed-runtime .venv/.installed-dev  # pillow-simd must be rebuilt against the new libraries
  .venv/bin/pip uninstall -y -q pillow-simd 2>/dev/null || true
fi

# dev only: the e-mail source's tests run Debian's Dovecot IMAP server on loopback (they start their own on
# free ports; the system service the package would start is stopped and disabled: nothing needs it).
if [ "$KIND" = dev ] && [ ! -x /usr/sbin/dovecot ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing system package: dovecot-imapd; run: sudo apt-get install -y dovecot-imapd" >&2
    exit 1
  fi
  echo "installing system packages: dovecot-imapd"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    systemctl disable --now dovecot.service >/dev/null 2>&1 || true
  else  # no systemd: the package's init script may have started it
    /usr/sbin/dovecot stop >/dev/null 2>&1 || true
  fi
fi

# dev only: the browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
if [ "$KIND" = dev ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing system package: chromium; run: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  echo "installing system packages: chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The back office's front-end files come from the npm registry at build time (Node is not needed to run).
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: npm is missing; run: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
  echo "installing system packages: nodejs npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
npm_stamp=$(cat package-lock.json | sha256sum | cut -d' ' -f1)-$KIND
if [ "$(cat node_modules/.installed 2>/dev/null)" != "$npm_stamp" ]; then
  if [ "$KIND" = dev ]; then npm ci --no-audit --no-fund --loglevel=error; else npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
  echo "$npm_stamp" > node_modules/.installed
fi
"$PYTHON" scripts/vendor_assets.py

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
installed() { [ "$(cat ".venv/.installed-$1" 2>/dev/null)" = "$stamp" ]; }
if ! installed "$KIND" && ! { [ "$KIND" = runtime ] && installed dev; }; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --no-cache-dir -e "$TARGET"
  echo "$stamp" > ".venv/.installed-$KIND"
  if [ "$KIND" = dev ]; then echo "$stamp" > .venv/.installed-runtime; fi
fi

# Nothing may bring plain Pillow in on top of pillow-simd: both install the same PIL package.
if .venv/bin/python -m pip list 2>/dev/null | grep -qiE '^pillow '; then
  echo "error: plain 'pillow' is installed next to pillow-simd; a dependency pulled it in" >&2
  exit 1
fi
