#!/usr/bin/env bash
# A bounded fuzzing campaign, one harness at a time (issue 15 item 1;
# docs/security.md, "Fuzzing campaign"). Usage:
#   fuzz/campaign.sh <seconds per harness> <work dir> <harness>...
# Each harness runs niced from its checked-in corpus (new inputs go to
# <work dir>/<name>/); minimise afterwards with fuzz/merge_corpus.sh <work dir>
# <name>... (seeds and grown inputs together). Logs: <work dir>/<name>.log;
# crashes: <work dir>/art-<name>-*. Run from the source tree, after building the asan
# tree's fuzz targets.
set -u
secs=$1
work=$2
shift 2
mkdir -p "$work"
for name in "$@"; do
  bin=build/asan/fuzz/fuzz_$name
  mkdir -p "$work/$name" "$work/min-$name"
  echo "$(date -u +%H:%M:%S) start $name" >>"$work/campaign.log"
  nice -n 5 "$bin" -max_total_time="$secs" -max_len=4096 -timeout=60 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$work/art-$name-" \
    "$work/$name" "fuzz/corpus/$name" >"$work/$name.log" 2>&1
  echo "$(date -u +%H:%M:%S) end $name rc=$?" >>"$work/campaign.log"
done
