#!/usr/bin/env bash
# A CSV file with one line of 1 GB (issue 14, hostile inputs): generates the file and runs
# `throughline analyze` on it with a release build, printing the exit code, the message and the
# peak memory (GNU time's "Maximum resident set size"). Not in the test suite (it writes 1 GB and
# takes a minute or two); results are recorded in docs/RELIABILITY.md.
#
#   cargo build --release && tests/fuzzing/long_line.sh [BIN] [DIR]
#
# Three files, each with 1,000 ordinary rows before and after the long line:
#   number.csv  the long line holds a 1 GB number in the metric column that is read;
#   text.csv    the long line holds a 1 GB quoted text in a column nobody reads;
#   newline.csv the long line has no delimiter at all (1 GB of one field, too few fields).
set -euo pipefail
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/throughline}
DIR=${2:-$(mktemp -d)}
GB=$((1024 * 1024 * 1024))
ordinary() {
    for i in $(seq 1 1000); do
        if ((i % 2)); then echo "control,$((i % 17)).5,note"; else echo "treatment,$((i % 13)).5,note"; fi
    done
}
make_file() { # NAME PREFIX FILL SUFFIX
    local f="$DIR/$1"
    {
        echo "variant,revenue,comment"
        ordinary
        printf '%s' "$2"
        head -c "$GB" /dev/zero | tr '\0' "$3"
        printf '%s\n' "$4"
        ordinary
    } > "$f"
}
run() { # NAME
    local f="$DIR/$1"
    echo "== $1 ($(stat -c %s "$f") bytes)"
    local start=$(date +%s.%N)
    set +e
    /usr/bin/time -f "peak memory %M KB, %e s" "$BIN" analyze "$f" \
        --variant-col variant --control control --metric revenue > "$DIR/$1.out" 2> "$DIR/$1.err"
    local code=$?
    set -e
    echo "exit code $code"
    # The message, cut to 400 characters per line (a message must never quote the 1 GB value).
    cut -c1-400 "$DIR/$1.err"
    echo "message bytes: $(grep -v '^peak memory' "$DIR/$1.err" | wc -c)"
    head -c 400 "$DIR/$1.out"; echo
    rm -f "$f"
}
make_file number.csv "treatment," 7 ".5,note"; run number.csv
make_file text.csv 'treatment,1.5,"' x '"'; run text.csv
make_file newline.csv "" y ""; run newline.csv
