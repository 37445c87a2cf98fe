#!/usr/bin/env bash
# Install the Debian packages DokVault needs, when they are missing.
#   scripts/ensure-system.sh        everything the test suite needs (fails when not root)
#   scripts/ensure-system.sh ocr    only Tesseract, for `make run` (warns when not root)
set -euo pipefail
scope=${1:-test}
need=()
# OCR: Tesseract with Norwegian and English.
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/nor.traineddata ] || need+=(tesseract-ocr-nor)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
if [ "$scope" = test ]; then
  command -v catdoc >/dev/null || need+=(catdoc)  # legacy Word (.doc)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  command -v psql >/dev/null || need+=(postgresql postgresql-client)
  command -v redis-server >/dev/null || need+=(redis-server)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  if [ "$scope" = ocr ]; then
    echo "Tesseract is missing (${need[*]}): DokVault runs, but scans and PDF pages without" >&2
    echo "a text layer fail with 'OCR not available: Tesseract is not installed'." >&2
    echo "Install them as root (apt-get install ${need[*]}) and restart to read scans." >&2
    exit 0
  fi
  echo "Missing system packages: ${need[*]} (run as root or install them)" >&2
  exit 1
fi
echo "Installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
