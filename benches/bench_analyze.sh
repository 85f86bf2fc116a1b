#!/usr/bin/env bash
# Benchmark of `throughline analyze` against the same analysis in pandas + scipy
# (docs/PERFORMANCE.md, "Evidence engine"). Runs each command RUNS times (default 5) on a warm
# page cache and prints the median wall time and the largest peak memory (max RSS), then checks
# that the figures of both agree.
#
#   benches/bench_analyze.sh            # builds the release binary first
#   BIN=path/to/throughline benches/bench_analyze.sh
#   WAVE2=0 benches/bench_analyze.sh    # without issue 12's case (below)
#
# Issue 12's case (WAVE2=1, the default): on bench-data/ab_2m_wave2.csv (the same rows plus
# pre_revenue, sessions and a 10-value region column), the plain two-metric run against the
# same run with one covariate, one ratio metric and a 10-value segment column, in one run; the
# target is at most 2x the plain run's time and a peak below half the file size.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=bench-data/ab_2m.csv
RUNS=${RUNS:-5}
[ -f "$DATA" ] || python3 benches/gen_analyze_data.py 2000000 "$DATA"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="${CARGO_TARGET_DIR:-target}/release/throughline"
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat "$DATA" > /dev/null  # warm the page cache

ARGS=(analyze "$DATA" --variant-col variant --control control --metric revenue_usd --metric converted --json)

measure() {  # name, command...
  local name=$1; shift
  : > "$OUT/$name.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -a -o "$OUT/$name.times" "$@" > "$OUT/$name.json"
  done
}

measure throughline "$BIN" "${ARGS[@]}"
measure throughline_polars_reader "$BIN" "${ARGS[@]}" --reader polars
measure pandas_scipy python3 benches/peer_analyze.py "$DATA"

WAVE2_DATA=bench-data/ab_2m_wave2.csv
if [ "${WAVE2:-1}" = 1 ]; then
  [ -f "$WAVE2_DATA" ] || python3 benches/gen_analyze_data.py 2000000 "$WAVE2_DATA" wave2
  cat "$WAVE2_DATA" > /dev/null
  PLAIN=(analyze "$WAVE2_DATA" --variant-col variant --control control --metric revenue_usd --metric converted --json)
  measure wave2_plain "$BIN" "${PLAIN[@]}"
  measure wave2_full "$BIN" "${PLAIN[@]}" --covariate revenue_usd=pre_revenue \
    --ratio revenue_per_session=revenue_usd/sessions --segment region
fi

python3 - "$OUT" "$DATA" <<'PY'
import json, os, statistics, sys
out, data = sys.argv[1], sys.argv[2]
size_mb = os.path.getsize(data) / 1e6
print(f"file: {data}, {size_mb:.1f} MB; half of it: {size_mb / 2:.1f} MB")
rows = {}
for name in ("throughline", "throughline_polars_reader", "pandas_scipy"):
    runs = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
    wall = statistics.median(r[0] for r in runs)
    best = min(r[0] for r in runs)
    rss = max(r[1] for r in runs) / 1024
    rows[name] = wall
    print(f"{name:26s} wall: median {wall:5.2f} s, best {best:5.2f} s   "
          f"max RSS {rss:6.1f} MB   ({len(runs)} runs)")
print(f"speed-up over pandas + scipy (medians): {rows['pandas_scipy'] / rows['throughline']:.1f}x")
with open("/proc/loadavg") as f:
    print(f"load average (1, 5, 15 min) after the runs: {' '.join(f.read().split()[:3])}")

def walk(a, b, path, worst):
    if isinstance(b, dict):
        for k, v in b.items():
            if k in a:
                walk(a[k], v, f"{path}.{k}", worst)
    elif isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", worst)
    elif isinstance(b, (int, float)) and isinstance(a, (int, float)) and b != 0:
        rel = abs(a - b) / abs(b)
        if rel > worst[0]:
            worst[:] = [rel, path]
ours = json.load(open(f"{out}/throughline.json"))
peer = json.load(open(f"{out}/pandas_scipy.json"))
worst = [0.0, ""]
walk(ours, peer, "", worst)
print(f"largest relative difference from pandas + scipy: {worst[0]:.2e} ({worst[1] or 'none'})")

wave2 = "bench-data/ab_2m_wave2.csv"
if os.path.exists(f"{out}/wave2_full.times"):
    size_mb = os.path.getsize(wave2) / 1e6
    walls, cpus = {}, {}
    for name in ("wave2_plain", "wave2_full"):
        runs = [tuple(map(float, l.split())) for l in open(f"{out}/{name}.times") if l.strip()]
        walls[name] = statistics.median(r[0] for r in runs)
        # CPU time (user + system): what the work costs, much less sensitive than wall time to
        # other processes sharing the cores.
        cpus[name] = statistics.median(r[2] + r[3] for r in runs)
        rss = max(r[1] for r in runs) / 1024
        print(f"{name:26s} wall: median {walls[name]:5.2f} s, best {min(r[0] for r in runs):5.2f} s"
              f"   CPU: median {cpus[name]:5.2f} s   max RSS {rss:6.1f} MB   ({len(runs)} runs)")
    print(f"issue 12 case: {walls['wave2_full'] / walls['wave2_plain']:.2f}x the plain run's wall "
          f"time, {cpus['wave2_full'] / cpus['wave2_plain']:.2f}x its CPU time (target <= 2x); "
          f"file {size_mb:.1f} MB, half of it {size_mb / 2:.1f} MB")
    with open("/proc/loadavg") as f:
        print(f"load average (1, 5, 15 min) after the runs: {' '.join(f.read().split()[:3])}")
PY
