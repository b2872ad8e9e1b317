#!/usr/bin/env bash
# Rhizome sync, Clatter against servald, in one run (issue 7).
#
#   sudo SERVALD=/opt/servald-src/servald tools/bench/rhizome-vs-servald.sh [--clatter-only] [--no-build] [--keep] [N:MIN:MAX ...]
#   (--keep leaves the temporary directory: servald instances with their logs, the packet captures)
#
# For each N:MIN:MAX (default: 100:100:1000 1000:100:1000 10:1048576:1048576): N bundles with payloads of MIN..MAX
# random bytes are added to node A; a fresh node B is started and timed until it holds all N. Both sides run in
# the network namespace `clattertest` on their own addresses (127.9.0.1 = lo:y and 127.9.0.2 = lo:z, added if
# missing), and the bytes on the wire are captured there with tshark (filter: UDP on 127.9.0.0/24, frame lengths
# as loopback counts them: Ethernet + IP + UDP headers included), the same way for both.
#
#   servald: two daemons on UDP port 4199, separate instance directories in a temporary directory, one
#            `servald rhizome add file` process per bundle into A while A is stopped (the imports/s baseline), then
#            A started, then B started and `servald rhizome list` on B polled every 0.2 s (for its N-th row only, which keeps the polls cheap).
#   Clatter: org.clatter.tools.bench.rhizome.RhizomeSyncBench (two MdpNode + RhizomeNode in one JVM, each with its
#            own SQLite store; B's arrival is checked every 10 ms and every bundle verified afterwards), then its
#            `imports` and `million` sections. Runs of 1 MiB payloads are repeated on the Clatter side with 4 MiB
#            UDP socket buffers (the transport's default is the system's): the default loses datagrams at B.
#
# SERVALD must point at an existing servald binary; this script never builds or fetches one. Needs root (ip netns).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
SERVALD="${SERVALD:-/opt/servald-src/servald}"
NS=clattertest
ADDR_A=127.9.0.1
ADDR_B=127.9.0.2
SUBNET=127.9.0.0/24
# servald also listens on 0.0.0.0:PORT for broadcasts: not the usual 4110, so that it hears no one else's
SERVALD_PORT=4199
CLATTER_ONLY=0
BUILD=1
KEEP=0
RUNS=()
for arg in "$@"; do
  case "$arg" in
    --clatter-only) CLATTER_ONLY=1 ;;
    --no-build) BUILD=0 ;;
    --keep) KEEP=1 ;;
    *:*:*) RUNS+=("$arg") ;;
    *) echo "usage: $0 [--clatter-only] [--no-build] [--keep] [N:MIN:MAX ...]" >&2; exit 2 ;;
  esac
done
[ ${#RUNS[@]} -gt 0 ] || RUNS=(100:100:1000 1000:100:1000 10:1048576:1048576)

if [ "$(id -u)" != 0 ]; then echo "$0: needs root for ip netns" >&2; exit 1; fi
if [ "$CLATTER_ONLY" = 0 ] && [ ! -x "$SERVALD" ]; then
  echo "$0: no servald at '$SERVALD'; set SERVALD to an existing binary (or use --clatter-only)" >&2; exit 1
fi
command -v tshark >/dev/null || { echo "$0: tshark is needed to count bytes on the wire" >&2; exit 1; }

# ---- namespace and addresses (added next to whatever else is there; nothing is removed)
grep -qw "$NS" <<<"$(ip netns list)" || { ip netns add "$NS"; ip netns exec "$NS" ip link set lo up; }
ip netns exec "$NS" ip link set lo up
for pair in "$ADDR_A lo:y" "$ADDR_B lo:z"; do
  set -- $pair
  grep -q "inet $1/" <<<"$(ip netns exec "$NS" ip -4 addr show dev lo)" || \
    ip netns exec "$NS" ip addr add "$1/24" brd 127.9.0.255 dev lo label "$2" scope global
done

# ---- the Clatter side: build and module path
# shellcheck source=../find-jdk.sh
source "$root/tools/find-jdk.sh"
find_jdk25 || exit 1
if [ "$BUILD" = 1 ]; then
  # offline first (fast); online when something has not been downloaded yet
  (cd "$root" && { ./clatterw mvn -o -q install -pl tools/bench -DskipTests \
      || ./clatterw mvn -q install -pl tools/bench -am -DskipTests; })
fi
(cd "$root" && { ./clatterw mvn -o -q dependency:build-classpath -pl tools/bench \
    -Dmdep.outputFile=target/rhizome-bench.path -Dmdep.includeScope=runtime >/dev/null \
  || ./clatterw mvn -q dependency:build-classpath -pl tools/bench \
    -Dmdep.outputFile=target/rhizome-bench.path -Dmdep.includeScope=runtime >/dev/null; })
JAVA="$(command -v java)"

work="$(mktemp -d /tmp/rhizome-vs-servald.XXXXXX)"
# a private copy of the module path: other builds in this tree (or ~/.m2 installs) may replace it mid-run
mkdir -p "$work/mp"
cp -r "$here/target/classes" "$work/mp/org.clatter.tools.bench"
MP="$work/mp/org.clatter.tools.bench"
for jar in $(tr ':' '\n' < "$here/target/rhizome-bench.path" \
    | grep -v -e junit -e opentest4j -e apiguardian -e quicktheories -e jspecify -e jmh-generator); do
  cp "$jar" "$work/mp/"
  MP="$MP:$work/mp/$(basename "$jar")"
done
capture_pid=""
cleanup() {
  if [ -n "$capture_pid" ]; then kill "$capture_pid" 2>/dev/null || true; fi
  for inst in "$work"/servald-*; do
    [ -d "$inst" ] && ip netns exec "$NS" env SERVALINSTANCE_PATH="$inst" "$SERVALD" stop >/dev/null 2>&1 || true
  done
  if [ "$KEEP" = 1 ]; then echo "kept $work (servald instances with their logs, captures)" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

capture_start() { # $1: pcap file
  ip netns exec "$NS" tshark -i lo -f "udp and net $SUBNET" -w "$1" -q >/dev/null 2>&1 &
  capture_pid=$!
  for _ in $(seq 50); do [ -s "$1" ] && break; sleep 0.1; done
  sleep 0.5
}

capture_stop() { # $1: pcap file; prints "BYTES PACKETS"
  sleep 0.3
  kill "$capture_pid" 2>/dev/null || true
  wait "$capture_pid" 2>/dev/null || true
  capture_pid=""
  tshark -r "$1" -T fields -e frame.len 2>/dev/null | awk '{b+=$1; n++} END {printf "%d %d\n", b, n}'
}

field() { # $1: RESULT line, $2: key
  tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

sv() { # $1: instance dir, rest: servald arguments
  local inst="$1"; shift
  ip netns exec "$NS" env SERVALINSTANCE_PATH="$inst" "$SERVALD" "$@"
}

# ---- servald: one run; prints a RESULT line
servald_run() { # N MIN MAX
  local n=$1 min=$2 max=$3
  local d="$work/files-$n-$max" a="$work/servald-a-$n-$max" b="$work/servald-b-$n-$max"
  mkdir -p "$d" "$a" "$b"
  for i in $(seq "$n"); do
    head -c $(( min + (min == max ? 0 : (RANDOM * 32768 + RANDOM) % (max - min + 1)) )) /dev/urandom > "$d/f$i"
  done
  local port=$(( 14190 + RANDOM % 1000 ))
  for pair in "$a lo:y $port" "$b lo:z $((port + 1))"; do
    set -- $pair
    sv "$1" config set interfaces.1.match "$2" set interfaces.1.socket_type dgram set interfaces.1.type ethernet \
      set interfaces.1.port "$SERVALD_PORT" set rhizome.http.port "$3" set api.restful.users.harry.password potter >/dev/null 2>&1
    sv "$1" keyring add >/dev/null 2>&1
  done
  local sid
  sid=$(sv "$a" keyring list 2>/dev/null | sed -n 3p | cut -d: -f1)
  local t0 t1
  t0=$(date +%s.%N)
  for i in $(seq "$n"); do
    sv "$a" rhizome add file "$sid" "$d/f$i" >/dev/null 2>&1 || echo "servald: rhizome add file f$i failed" >&2
  done
  t1=$(date +%s.%N)
  local added
  added=$(( $(sv "$a" rhizome list 2>/dev/null | wc -l) - 2 ))
  local adds_per_s
  adds_per_s=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", n / (b - a)}')
  sv "$a" start >/dev/null 2>&1
  sleep 2
  capture_start "$work/servald-$n-$max.pcap"
  t0=$(date +%s.%N)
  sv "$b" start >/dev/null 2>&1
  local got deadline=$(( $(date +%s) + (n > 100 ? 300 : 120) ))
  # poll for the last row only (offset added-1, limit 1): listing all rows every time would load B's database
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(sv "$b" rhizome list "" "" "" "" $((added - 1)) 1 2>/dev/null | wc -l)" -gt 2 ] && break
    sleep 0.2
  done
  t1=$(date +%s.%N)
  got=$(( $(sv "$b" rhizome list 2>/dev/null | wc -l) - 2 ))
  read -r bytes packets < <(capture_stop "$work/servald-$n-$max.pcap")
  local secs
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  if [ "$got" -lt "$added" ]; then
    echo "servald: B holds $got of $added bundles after ${secs}s; B's log says:" >&2
    grep -h -E "ERROR|WARN" "$b"/*.log "$b"/log/* 2>/dev/null | tail -5 >&2 || true
  fi
  sv "$a" stop >/dev/null 2>&1 || true
  sv "$b" stop >/dev/null 2>&1 || true
  echo "RESULT side=servald n=$n min=$min max=$max added=$added got=$got seconds=$secs wire_bytes=$bytes packets=$packets adds_per_s=$adds_per_s"
}

# ---- Clatter: one run; prints its RESULT line with the captured wire bytes added
clatter() { # RhizomeSyncBench arguments
  ip netns exec "$NS" "$JAVA" --enable-native-access=org.xerial.sqlitejdbc,ALL-UNNAMED \
    -Drhizome.bench.a="$ADDR_A" -Drhizome.bench.b="$ADDR_B" -Drhizome.bench.udpBuffer="${UDP_BUFFER:-}" \
    -p "$MP" -m org.clatter.tools.bench/org.clatter.tools.bench.rhizome.RhizomeSyncBench "$@"
}

clatter_run() { # N MIN MAX
  local n=$1 min=$2 max=$3 out
  capture_start "$work/clatter-$n-$max.pcap"
  out=$(clatter sync "$n" "$min" "$max" 300 2>&1) || { echo "$out" >&2; capture_stop "$work/clatter-$n-$max.pcap" >/dev/null; return 1; }
  read -r bytes packets < <(capture_stop "$work/clatter-$n-$max.pcap")
  grep -v '^RESULT' <<<"$out" >&2
  echo "$(grep '^RESULT' <<<"$out") captured_bytes=$bytes captured_packets=$packets"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

echo "# Rhizome sync: Clatter vs servald ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
rows=()
servald_adds=""
for run in "${RUNS[@]}"; do
  IFS=: read -r n min max <<<"$run"
  echo "== $n bundles of $min..$max B" >&2
  c=$(clatter_run "$n" "$min" "$max")
  echo "$c"
  cs=$(field "$c" seconds); cb=$(field "$c" captured_bytes)
  if [ "$CLATTER_ONLY" = 0 ]; then
    s=$(servald_run "$n" "$min" "$max")
    echo "$s"
    ss=$(field "$s" seconds); sb=$(field "$s" wire_bytes); sg=$(field "$s" got); sa=$(field "$s" added)
    servald_adds="$servald_adds $(field "$s" adds_per_s)"
    rows+=("| $n × $min..$max B | $cs s | $cb B | $ss s ($sg/$sa) | $sb B | $(ratio "$ss" "$cs") × | $(ratio "$sb" "$cb") × |")
  else
    rows+=("| $n × $min..$max B | $cs s | $cb B | - | - | - | - |")
  fi
  if [ "$max" -ge 1048576 ]; then
    # large payloads: again with 4 MiB UDP socket buffers (the transport's default is the system's, ~208 KiB)
    c=$(UDP_BUFFER=4194304 clatter_run "$n" "$min" "$max")
    echo "$c udp_buffer=4194304"
    cs=$(field "$c" seconds); cb=$(field "$c" captured_bytes)
    if [ "$CLATTER_ONLY" = 0 ]; then
      rows+=("| $n × $min..$max B, Clatter with 4 MiB UDP buffers | $cs s | $cb B | $ss s ($sg/$sa) | $sb B | $(ratio "$ss" "$cs") × | $(ratio "$sb" "$cb") × |")
    else
      rows+=("| $n × $min..$max B, Clatter with 4 MiB UDP buffers | $cs s | $cb B | - | - | - | - |")
    fi
  fi
done

echo "== imports and the million-bundle round (Clatter)" >&2
out=$(clatter imports 1000 2>&1)
grep -v '^RESULT' <<<"$out" >&2
imp=$(grep '^RESULT' <<<"$out")
echo "$imp"
out=$(clatter million 2>&1)
grep -v '^RESULT' <<<"$out" >&2
grep '^RESULT' <<<"$out"

echo
echo "| bundles | Clatter time | Clatter wire bytes | servald time (got/added) | servald wire bytes | servald/Clatter time | servald/Clatter bytes |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "imports/s: Clatter add $(field "$imp" add_per_s), importAll $(field "$imp" import_all_per_s) (Ed25519 verify alone $(field "$imp" verify_per_s)/s); servald one process per add:${servald_adds:- (not run)}"
