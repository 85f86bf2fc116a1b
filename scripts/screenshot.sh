#!/usr/bin/env bash
# Take a screenshot of the real app window under Xvfb.
# Usage: scripts/screenshot.sh OUT.png [WAIT_SECS] [-- throughline args...]
# Example: scripts/screenshot.sh /tmp/welcome.png 4 -- projects/churn.ron
# Set XDOTOOL_SCRIPT to a file of xdotool commands to run before the capture (e.g. "key F5").
set -euo pipefail
out=${1:?usage: screenshot.sh OUT.png [WAIT_SECS] [-- args]}
wait_secs=${2:-4}
shift $(( $# >= 2 ? 2 : 1 ))
[ "${1:-}" = "--" ] && shift
bin=${THROUGHLINE_BIN:-target/debug/throughline}
inner=$(mktemp)
cat > "$inner" <<INNER
#!/usr/bin/env bash
"$bin" "\$@" &
pid=\$!
sleep $wait_secs
if [ -n "${XDOTOOL_SCRIPT:-}" ]; then
  wid=\$(xdotool search --sync --name Throughline | head -1)
  xdotool windowfocus --sync "\$wid" || true
  while read -r line; do [ -n "\$line" ] && eval "xdotool \$line"; sleep 0.7; done < "${XDOTOOL_SCRIPT:-/dev/null}"
  sleep 1
fi
import -window root "$out"
kill \$pid 2>/dev/null || true
INNER
chmod +x "$inner"
XDG_CONFIG_HOME=${XDG_CONFIG_HOME:-$(mktemp -d)} XDG_DATA_HOME=${XDG_DATA_HOME:-$(mktemp -d)} \
  xvfb-run -a -s '-screen 0 1400x900x24' "$inner" "$@"
rm -f "$inner"
echo "wrote $out"
