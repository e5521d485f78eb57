#!/usr/bin/env bash
# The no-personal-data scan can fail: over the demo's stopped IPD node, a value
# that IS on chain (a director's public name, 陳大文) listed as forbidden must be
# found, named, and make the scan exit 1.
#   scan_finds.sh <bauhinia-ledger-scan> <demo data folder>
set -u
scan="$1"
data="$2"
printf '%s\n' '陳大文' > "$data/forbidden-control.txt"
out=$("$scan" --db "$data/IPD/data/ledger" --forbidden "$data/forbidden-control.txt" 2>&1)
rc=$?
echo "$out"
echo "exit $rc"
[ "$rc" -eq 1 ] && grep -q 'FOUND in .*陳大文' <<<"$out"
