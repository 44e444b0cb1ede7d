#!/usr/bin/env bash
# Renders Sikho's PNG icons from the SVG sources. The PNGs are committed, so building the app never
# needs ImageMagick; run this only after changing an SVG (Debian: apt-get install -y imagemagick).
set -euo pipefail
cd "$(dirname "$0")/../.."
render() { convert -background none -density 300 "$1" -resize "$2x$2" -strip "PNG32:$3"; }
render static/icons/icon.svg 192 static/icons/icon-192.png
render static/icons/icon.svg 512 static/icons/icon-512.png
render scripts/icons/maskable.svg 512 static/icons/maskable-512.png
render scripts/icons/maskable.svg 180 static/icons/apple-touch-icon.png
