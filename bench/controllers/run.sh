#!/usr/bin/env bash
# Controllers side by side (issue #7): the same load generator (bench/Patchbay.LoadGen), the same machine,
# one run: Patchbay's learning switch on its own OpenFlow stack, Patchbay's real controller (endpoints
# registered, first packets of cross-host conversations), os-ken with a simple_switch_13 equivalent, and
# ovs-testcontroller. Each controller is started fresh on a loopback port for each mode (throughput, then
# latency), stopped by its PID, and the results are printed as a markdown table with the ratios.
#
# Needs: `make build` (bin/patchbay), python3-os-ken and openvswitch-testcontroller (scripts/install-deps.sh).
# Environment: DURATION (s, default 10), WARMUP (s, 2), SWITCHES (16), WINDOW (64), ENDPOINTS (per host, 250),
# BASE_PORT (16650), OUT (directory for JSON reports, table.md and logs; default a fresh temporary directory),
# CONTROLLERS (default "patchbay-learning patchbay-real os-ken ovs-testcontroller"), BUILD_LOCK (flock file for
# the dotnet build, if any). Loopback only; every wait is bounded; about 2 minutes with the defaults.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$repo"

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
SWITCHES=${SWITCHES:-16}
WINDOW=${WINDOW:-64}
ENDPOINTS=${ENDPOINTS:-250}
BASE_PORT=${BASE_PORT:-16650}
CONTROLLERS=${CONTROLLERS:-patchbay-learning patchbay-real os-ken ovs-testcontroller}
OUT=${OUT:-$(mktemp -d /tmp/patchbay-controllers.XXXXXX)}
mkdir -p "$OUT"

config=Release
loadgen_dll=bench/Patchbay.LoadGen/bin/$config/net10.0/Patchbay.LoadGen.dll
learning_dll=bench/controllers/Patchbay.LearningSwitch/bin/$config/net10.0/Patchbay.LearningSwitch.dll

die() { echo "run.sh: $*" >&2; exit 1; }

[[ -x bin/patchbay ]] || die "bin/patchbay is missing: run 'make build' first"
command -v osken-manager >/dev/null || die "osken-manager is missing: install python3-os-ken (scripts/install-deps.sh)"
command -v ovs-testcontroller >/dev/null || die "ovs-testcontroller is missing: install openvswitch-testcontroller (scripts/install-deps.sh)"

lock=()
[[ -n ${BUILD_LOCK:-} ]] && lock=(flock "$BUILD_LOCK")
"${lock[@]}" dotnet build bench/Patchbay.LoadGen/Patchbay.LoadGen.csproj -c $config -v quiet -nologo >"$OUT/build.log" 2>&1 || die "building the load generator failed (see $OUT/build.log)"
"${lock[@]}" dotnet build bench/controllers/Patchbay.LearningSwitch/Patchbay.LearningSwitch.csproj -c $config -v quiet -nologo >>"$OUT/build.log" 2>&1 || die "building the learning switch failed (see $OUT/build.log)"

controller_pid=

stop_controller() {
    [[ -n $controller_pid ]] || return 0
    if kill -0 "$controller_pid" 2>/dev/null; then
        kill -TERM "$controller_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$controller_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$controller_pid" 2>/dev/null || true
    fi
    wait "$controller_pid" 2>/dev/null || true
    controller_pid=
}
trap stop_controller EXIT INT TERM

# Waits (at most 30 s) until something listens on 127.0.0.1:PORT, without connecting to it.
wait_listening() {
    local port=$1
    for _ in $(seq 300); do
        kill -0 "$controller_pid" 2>/dev/null || die "the controller (pid $controller_pid) exited; see $OUT/*.log"
        if ss -Hltn "sport = :$port" | grep -q .; then
            return 0
        fi
        sleep 0.1
    done
    die "nothing listens on 127.0.0.1:$port after 30 s"
}

start_controller() {
    local name=$1 port=$2 api_port=$3 log=$4
    case $name in
    patchbay-learning)
        dotnet "$learning_dll" "$port" >"$log" 2>&1 &
        ;;
    patchbay-real)
        # Warnings and errors only: the controller narrates every conversation at Information.
        Logging__LogLevel__Default=Warning bin/patchbay controller --openflow "tcp:127.0.0.1:$port" --api "http://127.0.0.1:$api_port" >"$log" 2>&1 &
        ;;
    os-ken)
        osken-manager bench/osken/simple_switch_13.py --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" >"$log" 2>&1 &
        ;;
    ovs-testcontroller)
        ovs-testcontroller -O OpenFlow13 "ptcp:$port:127.0.0.1" --unixctl="$OUT/ovs-testcontroller.$port.ctl" -vconsole:warn >"$log" 2>&1 &
        ;;
    *)
        die "unknown controller $name"
        ;;
    esac
    controller_pid=$!
    wait_listening "$port"
}

run_one() {
    local name=$1 mode=$2 port=$3 api_port=$4
    local extra=()
    [[ $name == patchbay-real ]] && extra=(--traffic patchbay --api "http://127.0.0.1:$api_port" --endpoints-per-host "$ENDPOINTS")
    start_controller "$name" "$port" "$api_port" "$OUT/$name-$mode.controller.log"
    # Bounded: warm-up + duration + setup, with a generous margin.
    timeout $((WARMUP + DURATION + 90)) dotnet "$loadgen_dll" --controller "tcp:127.0.0.1:$port" --label "$name" \
        --mode "$mode" --switches "$SWITCHES" --window "$WINDOW" --warmup "$WARMUP" --duration "$DURATION" \
        "${extra[@]}" -o json >"$OUT/$name-$mode.json" 2>"$OUT/$name-$mode.loadgen.log" \
        || echo "run.sh: $name $mode failed (see $OUT/$name-$mode.loadgen.log)" >&2
    stop_controller
    [[ -s $OUT/$name-$mode.json ]] || rm -f "$OUT/$name-$mode.json"
}

echo "## Controllers side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- .NET $(dotnet --version), $(osken-manager --version 2>&1 | tail -n1), $(ovs-testcontroller --version | head -n1)"
echo "- load: $SWITCHES switches, throughput window $WINDOW per switch (latency mode: 1), ${WARMUP} s warm-up, ${DURATION} s measured, generator and controller on the same CPUs"
echo

port=$BASE_PORT
for name in $CONTROLLERS; do
    for mode in throughput latency; do
        run_one "$name" "$mode" "$port" "$((port + 1))"
        port=$((port + 2))
    done
done

reports=("$OUT"/*.json)
[[ -e ${reports[0]} ]] || die "no run produced a report; see the logs in $OUT"
# table.md is what a later `make bench` pastes into BENCHMARKS.md.
dotnet "$loadgen_dll" compare "${reports[@]}" | tee "$OUT/table.md"
echo
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); reports and logs: $OUT"
