#!/usr/bin/env bash
# The million-execution fuzz campaigns (issue 14): every target through the release fuzz driver,
# printing one row per target for the "Campaign results" table of docs/RELIABILITY.md.
#
#   cargo build --release --example fuzz
#   tests/fuzzing/campaigns.sh [RUNS] [TARGET...]        # RUNS defaults to 1000000
#   JOBS=2 tests/fuzzing/campaigns.sh                     # two targets at a time
#
# Inputs are written to a scratch folder in $TMPDIR (set to /dev/shm here: many small files).
# Logs go to fuzz-logs/TARGET.log; crashing, hanging or memory-hungry inputs to fuzz-crashes/.
set -uo pipefail
RUNS=${1:-1000000}
shift || true
TARGETS=${*:-project csv tsv parquet json ndjson arrow excel summary}
BIN=${CARGO_TARGET_DIR:-target}/release/examples/fuzz
[ -x "$BIN" ] || { echo "no release fuzz driver at $BIN: cargo build --release --example fuzz" >&2; exit 2; }
mkdir -p fuzz-logs
one() {
    local t=$1 start end code last
    start=$(date +%s)
    TMPDIR=${TMPDIR_FUZZ:-/dev/shm} "$BIN" "$t" "$RUNS" > "fuzz-logs/$t.log" 2>&1
    code=$?
    end=$(date +%s)
    last=$(tail -1 "fuzz-logs/$t.log")
    local crashes slowest peak
    crashes=$(grep -c '^CRASH' "fuzz-logs/$t.log")
    slowest=$(sed -n 's/.*slowest run \([0-9]*\) ms.*/\1 ms/p' <<< "$last")
    peak=$(sed -n 's/.*peak memory \([0-9]*\) MB.*/\1 MB/p' <<< "$last")
    local hangs=0
    grep -q '^HANG' "fuzz-logs/$t.log" && hangs=1
    echo "| \`$t\` | $RUNS | \`cargo run --release --example fuzz -- $t $RUNS\` | $crashes | $hangs | ${slowest:-?} | ${peak:-?} | $((end - start)) s, exit $code |"
}
export -f one
export BIN RUNS
echo "| Target | Runs | Command | Crashes | Hangs | Slowest run | Peak memory | Duration |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' $TARGETS | xargs -P "${JOBS:-1}" -I{} bash -c 'one {}'
