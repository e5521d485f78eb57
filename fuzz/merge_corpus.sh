#!/usr/bin/env bash
# Minimises a harness's corpus after a campaign (fuzz/campaign.sh) and makes
# it the checked-in seed corpus: the named seeds (written by make_seeds.py or
# the harness) stay; every other file is replaced by the -merge=1 selection of
# the old corpus and what the campaign grew. Usage:
#   [MERGE_FLAGS=-use_counters=0] fuzz/merge_corpus.sh <work dir> <harness>...
# (-use_counters=0: keep every edge, not every hit-count bucket: fewer files)
set -eu
work=$1
shift
for name in "$@"; do
  bin=build/asan/fuzz/fuzz_$name
  seeds=fuzz/corpus/$name
  min=$work/min-$name
  rm -rf "$min"
  mkdir -p "$min"
  nice -n 5 "$bin" -merge=1 ${MERGE_FLAGS:-} -max_len=4096 -timeout=60 -rss_limit_mb=2560 "$min" "$seeds" \
    "$work/$name" >"$work/$name.merge.log" 2>&1
  # Named seeds stay; content-named files are replaced by the selection.
  find "$seeds" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
  # (merge names its files by their SHA-1: a named seed it selected is not copied twice)
  named=$(sha1sum "$seeds"/* 2>/dev/null | cut -d' ' -f1)
  for f in "$min"/*; do
    [ -e "$f" ] || continue
    grep -qx "$(basename "$f")" <<<"$named" || cp "$f" "$seeds/"
  done
  echo "$name: $(ls "$seeds" | wc -l) files, $(cat "$seeds"/* | wc -c) bytes"
done
