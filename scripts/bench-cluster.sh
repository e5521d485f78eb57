#!/usr/bin/env bash
# Cluster throughput: starts a local consortium of validators (4 by default) on
# free loopback ports in a temporary folder, runs bauhinia-bench against all of
# their APIs, reports the CPU each process used during the run, and stops
# everything it started (also on Ctrl-C or an error).
#
# Usage: scripts/bench-cluster.sh [--build DIR | --node FILE --bench FILE]
#                                 [--validators N] [--keep] [--] [bauhinia-bench options]
#   --build DIR     tree with node/bauhinia-node and loadgen/bauhinia-bench
#                   (default: build/release; use a Release build for figures)
#   --node, --bench the two executables, when not in one tree
#   --validators N  4 by default
#   --keep          keep the temporary folder (configs, data, logs, report)
#   --set S.K=V     set key K of section [S] of every node's config.toml to the
#                   TOML value V (repeatable), e.g. --set consensus.round_timeout_ms=5000
# bauhinia-bench options after "--" replace the defaults below; --api is added.
#
# Example (docs/performance.md, "Cluster throughput"):
#   scripts/bench-cluster.sh --build build/release -- -n 60000 --accounts 2000 --rate 8000 \
#       --duration 30 --timeout 30
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/release"
VALIDATORS=4
KEEP=0
NODE=""
BENCH=""
SETTINGS=()
BENCH_ARGS=(--transactions 40000 --accounts 2000 --rate 0 --duration 60 --timeout 30)
READY_TIMEOUT_S=60
STOP_TIMEOUT_S=15

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$(cd "$2" && pwd)"; shift 2 ;;
    --node) NODE="$2"; shift 2 ;;
    --bench) BENCH="$2"; shift 2 ;;
    --validators) VALIDATORS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --set) SETTINGS+=("$2"); shift 2 ;;
    --) shift; BENCH_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench-cluster: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$VALIDATORS" =~ ^[0-9]+$ ]] || (( VALIDATORS < 1 || VALIDATORS > 16 )); then
  echo "bench-cluster: --validators must be 1..16" >&2; exit 2
fi

NODE="${NODE:-$BUILD/node/bauhinia-node}"
BENCH="${BENCH:-$BUILD/loadgen/bauhinia-bench}"
for bin in "$NODE" "$BENCH"; do
  [[ -x "$bin" ]] || { echo "bench-cluster: $bin not built" >&2; exit 2; }
done
for tool in python3 top; do
  command -v "$tool" > /dev/null || { echo "bench-cluster: needs $tool" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bauhinia-bench.XXXXXX")"
PIDS=()
NAMES=()

stop_nodes() {
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for (( i = 0; i < STOP_TIMEOUT_S * 10; i++ )); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  PIDS=()
}

cleanup() {
  stop_nodes
  if (( KEEP )); then
    echo "bench-cluster: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 2N consecutive free loopback ports: p2p on base..base+N-1, API on base+N...
# Chosen below the kernel's ephemeral range (as tests/integration/harness.py
# does), so that no outgoing connection takes one as its local port between
# this check and the nodes binding them.
BASE="$(python3 - "$VALIDATORS" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
top = min(low, 65536) - 2 * n
bottom = 20000 if top > 21000 else 1024
for _ in range(200):
    base = random.randint(bottom, top)
    socks = []
    try:
        for port in range(base, base + 2 * n):
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            socks.append(s)
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base)
    sys.exit(0)
sys.exit("no free port range found")
EOF
)"
P2P_BASE=$BASE
API_BASE=$(( BASE + VALIDATORS ))

"$NODE" testnet --validators "$VALIDATORS" --out "$WORK/net" --chain-id bauhinia-bench-1 \
  --p2p-base-port "$P2P_BASE" --api-base-port "$API_BASE" > "$WORK/testnet.txt"
if (( ${#SETTINGS[@]} )); then
  python3 - "$WORK/net" "${SETTINGS[@]}" << 'PY'
import pathlib, re, sys
root, settings = pathlib.Path(sys.argv[1]), sys.argv[2:]
for config in sorted(root.glob("*/config.toml")):
    text = config.read_text()
    for setting in settings:
        m = re.fullmatch(r"([a-z_]+)\.([a-z_]+)=(.+)", setting)
        if not m:
            sys.exit(f"bench-cluster: --set {setting}: expected section.key=value")
        section, key, value = m.groups()
        pattern = re.compile(rf"(\[{section}\]\n(?:(?!\[).*\n)*?){key} = .*\n")
        if not pattern.search(text):
            sys.exit(f"bench-cluster: --set {setting}: no {key} in [{section}]")
        text = pattern.sub(lambda mm: f"{mm.group(1)}{key} = {value}\n", text, count=1)
    config.write_text(text)
PY
  echo "bench-cluster: node settings ${SETTINGS[*]}" >&2
fi
mkdir -p "$WORK/logs"
API_ARGS=()
i=0
while read -r role name config; do
  [[ "$role" == validator ]] || continue
  home="$(dirname "$config")"
  "$NODE" start --home "$home" > "$WORK/logs/$name.log" 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
  API_ARGS+=(--api "127.0.0.1:$(( API_BASE + i ))")
  i=$(( i + 1 ))
done < <(grep -E '^  (validator|observer) ' "$WORK/testnet.txt")
echo "bench-cluster: started ${NAMES[*]} (pids ${PIDS[*]}), APIs on ports $API_BASE.." \
     "$(( API_BASE + VALIDATORS - 1 )), work folder $WORK" >&2

status_height() {  # the height in GET /v1/status of API port $1, or nothing
  python3 - "$1" 2> /dev/null << 'PY' || true
import json, sys, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/v1/status"
with urllib.request.urlopen(url, timeout=2) as r:
    print(json.loads(r.read(1 << 20))["height"])
PY
}

# Ready: every API answers and the first node has committed two blocks.
deadline=$(( SECONDS + READY_TIMEOUT_S ))
for (( i = 0; i < VALIDATORS; i++ )); do
  until [[ -n "$(status_height $(( API_BASE + i )))" ]]; do
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2> /dev/null || { echo "bench-cluster: a node exited" >&2; tail -n 20 "$WORK"/logs/*.log >&2; exit 1; }
    done
    (( SECONDS < deadline )) || { echo "bench-cluster: node $i not ready" >&2; tail -n 20 "$WORK"/logs/*.log >&2; exit 1; }
    sleep 0.2
  done
done
until h="$(status_height "$API_BASE")"; [[ -n "$h" && "$h" -ge 2 ]]; do
  (( SECONDS < deadline )) || { echo "bench-cluster: no blocks committed" >&2; tail -n 20 "$WORK"/logs/*.log >&2; exit 1; }
  sleep 0.2
done
echo "bench-cluster: cluster ready at height $h" >&2
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;" \
     "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: $(basename "$BENCH") ${API_ARGS[*]} ${BENCH_ARGS[*]}"
if (( ${#SETTINGS[@]} )); then echo "node settings: ${SETTINGS[*]}"; fi

cpu_ticks() {  # utime + stime of process $1 in clock ticks (fields 14, 15 of /proc/pid/stat)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2> /dev/null || echo 0
}
declare -A START_TICKS
for pid in "${PIDS[@]}"; do START_TICKS[$pid]=$(cpu_ticks "$pid"); done
HZ=$(getconf CLK_TCK)

# A snapshot of top while the load runs (after a third of the submission window).
duration=60
for (( j = 0; j < ${#BENCH_ARGS[@]}; j++ )); do
  [[ "${BENCH_ARGS[$j]}" == --duration ]] && duration="${BENCH_ARGS[$(( j + 1 ))]:-60}"
done
( sleep "$(python3 -c "print(max(1.0, float('$duration') / 3))")" &&
  top -b -n 2 -d 1 -w 200 | awk '/^top -/ { frame++ } frame == 2' | head -n 20 > "$WORK/top.txt" ) &
TOP_PID=$!

run_start=$SECONDS
set +e
"$BENCH" "${API_ARGS[@]}" "${BENCH_ARGS[@]}" > "$WORK/report.txt" 2> "$WORK/bench.err"
BENCH_RC=$?
set -e
run_s=$(( SECONDS - run_start ))
kill "$TOP_PID" 2> /dev/null || true
wait "$TOP_PID" 2> /dev/null || true

cat "$WORK/report.txt"
[[ -s "$WORK/bench.err" ]] && sed 's/^/  /' "$WORK/bench.err" >&2
echo
echo "CPU during the run (${run_s} s wall, $(nproc) cores):"
for (( i = 0; i < ${#PIDS[@]}; i++ )); do
  pid=${PIDS[$i]}
  used=$(( $(cpu_ticks "$pid") - START_TICKS[$pid] ))
  python3 -c "print(f'  {\"${NAMES[$i]}\":8} {$used / $HZ:8.1f} s CPU  {100.0 * $used / $HZ / max(1, $run_s):6.1f} % of one core')"
done
echo "  (bauhinia-bench's own CPU during the run is in its report)"
if [[ -s "$WORK/top.txt" ]]; then
  echo
  echo "top during the run:"
  sed 's/^/  /' "$WORK/top.txt"
fi
echo
echo "node logs (warnings / errors):"
for name in "${NAMES[@]}"; do
  log="$WORK/logs/$name.log"
  printf '  %-8s %6d warn %6d error  %s\n' "$name" "$(grep -c ' warn' "$log" || true)" \
    "$(grep -c -E ' (error|critical)' "$log" || true)" \
    "$(grep -E ' (warn|error|critical)' "$log" | tail -n 1 | cut -c1-150)"
done
exit "$BENCH_RC"
