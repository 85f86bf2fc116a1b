#!/usr/bin/env bash
# Builds the Debian package and checks it, as a user would get it (issue 17; not part of the
# README's test command: the release build takes about 25 minutes on two cores).
#
#   packaging/build-deb.sh              # release build + cargo deb + checks
#   NO_BUILD=1 packaging/build-deb.sh   # reuse the release binary already built
#
# Needs `cargo install cargo-deb` (and dpkg, present on Debian). Writes the .deb to
# $CARGO_TARGET_DIR/debian/ (target/debian/ by default) and prints its path and size.
#
# Checks, on the package unpacked with `dpkg -x` into a temporary root (nothing is installed on
# this machine):
#   - the binary, desktop entry, icons, README, example projects and sample data are where they
#     belong;
#   - the desktop entry is valid (desktop-file-validate, when installed) and names the binary and
#     the icon it ships;
#   - `throughline check` passes on every installed example, and every data file each example
#     names exists in the installed tree (the examples refer to ../assets/...);
#   - `throughline report` and `throughline analyze` run on the installed files;
#   - the examples sit at PREFIX/share/throughline/projects for the binary at PREFIX/bin, the
#     layout the welcome screen's lookup expects (that lookup is unit-tested in
#     src/app/examples.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}

command -v cargo-deb >/dev/null || { echo "cargo-deb is missing: cargo install cargo-deb" >&2; exit 2; }
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --bin throughline
fi
deb=$(cargo deb --no-build --no-strip 2>&1 | tail -1)
[ -f "$deb" ] || { echo "cargo deb did not produce a package: $deb" >&2; exit 1; }
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
fail=0
need() { [ -e "$root/$1" ] || { echo "MISSING in the package: /$1"; fail=1; }; }
need usr/bin/throughline
need usr/share/applications/throughline.desktop
need usr/share/icons/hicolor/256x256/apps/throughline.png
need usr/share/icons/hicolor/scalable/apps/throughline.svg
need usr/share/doc/throughline/README.md
for p in projects/*.ron; do need "usr/share/throughline/$p"; done
for a in assets/*; do need "usr/share/throughline/$a"; done

desktop=$root/usr/share/applications/throughline.desktop
grep -q '^Exec=throughline' "$desktop" || { echo "desktop entry: Exec is not throughline"; fail=1; }
grep -q '^Icon=throughline$' "$desktop" || { echo "desktop entry: Icon is not throughline"; fail=1; }
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop" || fail=1; fi

bin=$root/usr/bin/throughline
"$bin" --version
for p in "$root"/usr/share/throughline/projects/*.ron; do
  "$bin" check "$p" > /dev/null || { echo "check failed: $p"; fail=1; }
  # Every data file the example names (path: "...") must be in the installed tree.
  while IFS= read -r rel; do
    [ -e "$(dirname "$p")/$rel" ] || { echo "$(basename "$p") names a missing file: $rel"; fail=1; }
  done < <(grep -o 'path: *"[^"]*"' "$p" | sed 's/path: *"\(.*\)"/\1/')
done
"$bin" report "$root/usr/share/throughline/projects/churn-prediction.ron" --out "$root/summary.html" > /dev/null \
  || { echo "report failed on the installed churn example"; fail=1; }
"$bin" analyze "$root/usr/share/throughline/assets/ab_test_checkout.csv" --variant-col variant \
  --control control --metric revenue_usd > /dev/null || { echo "analyze failed on installed data"; fail=1; }
echo "installed binary: $(du -h "$bin" | cut -f1)"
if [ "$fail" -ne 0 ]; then echo "PACKAGE CHECK FAILED"; exit 1; fi
echo "package checked: binary, desktop entry, icons, examples and data in place; check, report and analyze run on the installed files"
