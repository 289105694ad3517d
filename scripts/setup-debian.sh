#!/usr/bin/env bash
# Installs the Debian packages some tests need, when they are missing: chromium (report.html is tested
# in a real browser) and Debian's python3 FastAPI, uvicorn and SQLAlchemy, Django and gunicorn (the foreign-target examples).
# Needs root (or sudo) and Debian's package lists; does nothing when everything is there.
set -euo pipefail
packages=(chromium python3-fastapi python3-uvicorn python3-sqlalchemy python3-django gunicorn)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup:debian: ${packages[*]} already installed"
  exit 0
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup:debian: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
