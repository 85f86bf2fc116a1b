#!/usr/bin/env bash
# Draws packaging/throughline.png (256x256, the window and desktop icon) with ImageMagick, from the
# same geometry as packaging/throughline.svg: a rounded blue square and one smooth line from an
# orange point (the business objective) to a green one (the ML objective).
set -euo pipefail
cd "$(dirname "$0")"
PTS=$(python3 - <<'PY'
p = [(56, 184), (128, 184), (128, 64), (200, 64)]
out = []
for i in range(41):
    t = i / 40
    u = 1 - t
    x = u**3 * p[0][0] + 3 * u * u * t * p[1][0] + 3 * u * t * t * p[2][0] + t**3 * p[3][0]
    y = u**3 * p[0][1] + 3 * u * u * t * p[1][1] + 3 * u * t * t * p[2][1] + t**3 * p[3][1]
    out.append(f"{x:.1f},{y:.1f}")
print(" ".join(out))
PY
)
convert -size 256x256 xc:none -fill '#0072B2' -draw "roundrectangle 8,8 247,247 48,48" \
  -fill none -stroke white -strokewidth 18 \
  -draw "stroke-linecap round stroke-linejoin round polyline $PTS" \
  -stroke white -strokewidth 8 -fill '#E69F00' -draw "circle 56,184 56,206" \
  -fill '#009E73' -draw "circle 200,64 200,86" -depth 8 throughline.png
