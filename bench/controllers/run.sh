#!/usr/bin/env bash
# Controllers side by side (issue #7): the same load generator (bench/Patchbay.LoadGen), the same machine,
# one run: Patchbay's learning switch on its own OpenFlow stack, Patchbay's real controller (endpoints
# registered, first packets of cross-host conversations), os-ken with a simple_switch_13 equivalent, and
# ovs-testcontroller. Each controller is started fresh on a loopback port for each run, stopped by its PID, and the
# results are printed as a markdown table with the ratios. Throughput mode runs ROUNDS rounds, the controllers
# interleaved in each, and the table takes each controller's median round: this machine's speed for multi-threaded
# work changes from minute to minute, and one slow stretch should not stand for a controller. Latency mode runs once.
#
# Needs: `make build` (bin/patchbay), python3-os-ken and openvswitch-testcontroller (scripts/install-deps.sh).
# Environment: DURATION (s, default 10), WARMUP (s, 2), SWITCHES (16), WINDOW (64), ENDPOINTS (per host, 250),
# ROUNDS (1), BASE_PORT (16650), OUT (directory for JSON reports, table.md and logs; default a fresh temporary directory),
# CONTROLLERS (default "patchbay-learning patchbay-real os-ken ovs-testcontroller"), BUILD_LOCK (flock file for
# the dotnet build, if any). Options (override the environment): --duration S, --warmup S, --rounds N, --out-json FILE
# (also write the result fragment of bench/README.md to FILE). Loopback only; every wait is bounded; about 2 minutes
# with the defaults, and about a minute more for each further round.
set -euo pipefail

out_json=""
while (($#)); do
    case $1 in
        --duration) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --out-json) out_json=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
started=$EPOCHREALTIME

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$repo"

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-1}
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

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a whole number of at least 1, not '$ROUNDS'"

[[ -x bin/patchbay ]] || die "bin/patchbay is missing: run 'make build' first"
command -v osken-manager >/dev/null || die "osken-manager is missing: install python3-os-ken (scripts/install-deps.sh)"
command -v ovs-testcontroller >/dev/null || die "ovs-testcontroller is missing: install openvswitch-testcontroller (scripts/install-deps.sh)"

lock=()
[[ -n ${BUILD_LOCK:-} ]] && lock=(flock "$BUILD_LOCK")
"${lock[@]}" dotnet build bench/Patchbay.LoadGen/Patchbay.LoadGen.csproj -c $config -v quiet -nologo >"$OUT/build.log" 2>&1 || die "building the load generator failed (see $OUT/build.log)"
"${lock[@]}" dotnet build bench/controllers/Patchbay.LearningSwitch/Patchbay.LearningSwitch.csproj -c $config -v quiet -nologo >>"$OUT/build.log" 2>&1 || die "building the learning switch failed (see $OUT/build.log)"

controller_pid=
failed_runs=()

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
trap stop_controller EXIT
trap 'exit 143' INT TERM

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
        # Warnings and errors only: the controller narrates every conversation at Information. The per-host
        # PACKET_IN budget (a protection, default 2,000/s per host) is lifted and fabric announcements are off:
        # this measures what the controller can set up, as the peers (which have no budget) are measured.
        Logging__LogLevel__Default=Warning bin/patchbay controller --openflow "tcp:127.0.0.1:$port" --api "http://127.0.0.1:$api_port" \
            --packet-in-budget 100000000 --packet-in-budget-burst 1000000 --fabric-announce-interval 0 >"$log" 2>&1 &
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

# Writes $OUT/NAME-MODE.json, or for a throughput ROUND $OUT/rounds/NAME-MODE.ROUND.json; logs NAME-MODE[.ROUND].*.log.
run_one() {
    local name=$1 mode=$2 port=$3 api_port=$4 round=${5:-}
    local run=$name-$mode${round:+.$round}
    local report=$OUT/$name-$mode.json
    [[ -n $round ]] && report=$OUT/rounds/$run.json
    local extra=()
    [[ $name == patchbay-real ]] && extra=(--traffic patchbay --api "http://127.0.0.1:$api_port" --endpoints-per-host "$ENDPOINTS")
    start_controller "$name" "$port" "$api_port" "$OUT/$run.controller.log"
    # Bounded: warm-up + duration + setup (4,000 endpoints through the API for patchbay-real), with a margin
    # that still leaves the other controllers their turn within `make bench`'s limit for this suite.
    timeout $((WARMUP + DURATION + 40)) dotnet "$loadgen_dll" --controller "tcp:127.0.0.1:$port" --label "$name" \
        --mode "$mode" --switches "$SWITCHES" --window "$WINDOW" --warmup "$WARMUP" --duration "$DURATION" \
        "${extra[@]}" -o json >"$report" 2>"$OUT/$run.loadgen.log" \
        || { echo "run.sh: $name $mode${round:+ (round $round)} failed (see $OUT/$run.loadgen.log)" >&2; failed_runs+=("$name $mode${round:+ round $round}: $(tail -n1 "$OUT/$run.loadgen.log" | cut -c1-200)"); }
    stop_controller
    [[ -s $report ]] || rm -f "$report"
}

echo "## Controllers side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- .NET $(dotnet --version), $(osken-manager --version 2>&1 | tail -n1), $(ovs-testcontroller --version | head -n1)"
echo "- load: $SWITCHES switches, throughput window $WINDOW per switch (latency mode: 1), ${WARMUP} s warm-up, ${DURATION} s measured, $ROUNDS throughput round(s) (median shown), generator and controller on the same CPUs"
echo

port=$BASE_PORT
mkdir -p "$OUT/rounds"
for round in $(seq "$ROUNDS"); do
    for name in $CONTROLLERS; do
        run_one "$name" throughput "$port" "$((port + 1))" "$round"
        port=$((port + 2))
    done
done
for name in $CONTROLLERS; do
    run_one "$name" latency "$port" "$((port + 1))"
    port=$((port + 2))
done

# Each controller's median throughput round (the lower middle one of an even count) is its throughput report.
rounds_json='{}'
for name in $CONTROLLERS; do
    mapfile -t runs < <(for f in "$OUT/rounds/$name-throughput".*.json; do [[ -e $f ]] && printf '%s %s\n' "$(jq '.responsesPerSecond' "$f")" "$f"; done | sort -g)
    ((${#runs[@]})) || continue
    cp "${runs[$(((${#runs[@]} - 1) / 2))]#* }" "$OUT/$name-throughput.json"
    rounds_json=$(jq --arg name "$name" --argjson rates "$(printf '%s\n' "${runs[@]%% *}" | jq -s 'map(round)')" '.[$name] = $rates' <<<"$rounds_json")
done

reports=("$OUT"/*.json)
[[ -e ${reports[0]} ]] || die "no run produced a report; see the logs in $OUT"
# table.md is what a later `make bench` pastes into BENCHMARKS.md.
dotnet "$loadgen_dll" compare "${reports[@]}" | tee "$OUT/table.md"
echo
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo "- load average at the end: $load_end; reports and logs: $OUT"

[[ -n $out_json ]] || exit 0
seconds=$(awk -v s="${started/,/.}" -v e="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", e - s }')
command_line="bench/controllers/run.sh"
((DURATION != 10)) && command_line+=" --duration $DURATION"
((WARMUP != 2)) && command_line+=" --warmup $WARMUP"
((ROUNDS != 1)) && command_line+=" --rounds $ROUNDS"
[[ $SWITCHES != 16 || $WINDOW != 64 || $ENDPOINTS != 250 ]] && command_line="SWITCHES=$SWITCHES WINDOW=$WINDOW ENDPOINTS=$ENDPOINTS $command_line"
# The fragment (bench/README.md) from the load generator's JSON reports: one row per controller, the
# throughput ratios of Patchbay's two runs to each peer, and the figures.
jq -s --arg command "$command_line" --argjson seconds "$seconds" --arg load_end "$load_end" \
    --argjson failed "$(printf '%s\n' "${failed_runs[@]}" | jq -R . | jq -s 'map(select(length > 0))')" \
    --argjson switches "$SWITCHES" --argjson window "$WINDOW" --argjson duration "$DURATION" --argjson warmup "$WARMUP" \
    --argjson rounds "$ROUNDS" --argjson roundRates "$rounds_json" '
  def commas: round | tostring | explode | reverse | [range(0; length; 3) as $i | .[$i:$i + 3]] | map(reverse | implode) | reverse | join(",");
  def r2: . * 100 | round / 100 | tostring;
  def rate: if . == null then "–" else .responsesPerSecond | commas end;
  def us($f): if . == null then "–" else (.[$f] | round | tostring) end;
  def cpu: if . == null or (.loops | length) == 0 then "–" else "\((.loops | map(.generatorCpuSeconds) | add) / (.loops | map(.seconds) | add) * 100 | round)%" end;
  . as $all
  | [$all[].label] | unique as $seen
  | (["os-ken", "ovs-testcontroller", "patchbay-learning", "patchbay-real"] | map(select(. as $l | $seen | index($l)))) as $labels
  | (reduce $all[] as $r ({}; .[$r.label + "/" + $r.mode] = $r)) as $by
  | ($labels | map(select(startswith("patchbay") | not))) as $peers
  | ($labels | map(select(startswith("patchbay")))) as $ours
  | def tp($l): $by[$l + "/throughput"].responsesPerSecond;
    def ratio($a; $b): if tp($a) == null or tp($b) == null or tp($b) == 0 then "–" else "\(tp($a) / tp($b) | r2)×" end;
  {
    suite: "controllers",
    title: "Controllers side by side (issue #7)",
    command: $command,
    seconds: $seconds,
    summary: ("The same cbench-style load generator (`bench/Patchbay.LoadGen`), on the same machine in one run, drives each controller in turn: \($switches) emulated OpenFlow 1.3 switches on loopback send PACKET_INs of ever-new conversations; a response counts when the switch receives the FLOW_MOD or PACKET_OUT that answers its PACKET_IN (see `bench/controllers/README.md`). "
      + "Throughput mode keeps \($window) PACKET_INs outstanding per switch, latency mode one; \($warmup) s warm-up, \($duration) s measured; each controller is started afresh for each run. "
      + (if $rounds > 1 then "Throughput mode ran \($rounds) rounds, the controllers taking turns in each, and the tables and ratios use each controller'"'"'s median round (every round is listed in the notes): this machine'"'"'s speed for multi-threaded work changes from one minute to the next. " else "" end)
      + "*patchbay-learning* is os-ken'"'"'s `simple_switch_13` logic on Patchbay'"'"'s own OpenFlow stack (like for like with the peers); *patchbay-real* is `bin/patchbay controller` with every switch registered as a host and its endpoints through the REST API, each PACKET_IN the first packet of a new cross-host conversation (flows and a barrier to both switches before the PACKET_OUT that counts). "
      + "The real Patchbay controller runs with its per-host PACKET_IN budget lifted (`--packet-in-budget 100000000`; the default 2,000/s per host is a protection that would cap 16 switches at 32,000/s) and fabric announcements off. "
      + "Targets (issue #7): ≥ 10× os-ken and ≥ 2× ovs-testcontroller responses/s; stretch 1,000,000 responses/s."
      + (if tp("patchbay-learning") and tp("os-ken") and tp("ovs-testcontroller") then " In this run patchbay-learning reached \(tp("patchbay-learning") | commas) responses/s: \(ratio("patchbay-learning"; "os-ken")) os-ken and \(ratio("patchbay-learning"; "ovs-testcontroller")) ovs-testcontroller" + (if tp("patchbay-real") then "; patchbay-real \(tp("patchbay-real") | commas): \(ratio("patchbay-real"; "os-ken")) and \(ratio("patchbay-real"; "ovs-testcontroller"))." else "." end) else "" end)),
    tables: [
      { caption: "Per controller (throughput mode: \($window) outstanding per switch; latency mode: 1)",
        columns: ["controller", "throughput (responses/s)", "throughput p50 (µs)", "throughput p99 (µs)", "lost", "latency-mode (responses/s)", "latency p50 (µs)", "latency p99 (µs)", "generator CPU (throughput)"],
        rows: [ $labels[] as $l | ($by[$l + "/throughput"]) as $t | ($by[$l + "/latency"]) as $m
          | [ (if (($t.pairWraps // 0) + ($m.pairWraps // 0)) > 0 then "\($l) (endpoint pairs ran out)" else $l end),
              ($t | rate), ($t | us("p50Microseconds")), ($t | us("p99Microseconds")), (if $t == null then "–" else ($t.lost | tostring) end),
              ($m | rate), ($m | us("p50Microseconds")), ($m | us("p99Microseconds")), ($t | cpu) ] ] },
      { caption: "Throughput ratio, same run",
        columns: (["Patchbay run"] + ($peers | map("÷ \(.)"))),
        rows: [ $ours[] as $o | [$o] + ($peers | map(ratio($o; .))) ] }
    ],
    figures: [
      { file: "controllers-throughput", kind: "bars", title: "Controller throughput, \($switches) switches x \($window) outstanding (same run)",
        xLabel: "", yLabel: "responses/s", baseline: (if ($labels | index("os-ken")) then "os-ken" else null end),
        series: [ $labels[] as $l | select(tp($l) != null) | { name: $l, y: [tp($l)] } ] },
      { file: "controllers-latency", kind: "bars", title: "Latency mode: one PACKET_IN outstanding per switch",
        xLabel: "", yLabel: "µs (PACKET_IN sent to answer read)", baseline: null,
        series: [ $labels[] as $l | ($by[$l + "/latency"]) as $m | select($m != null) | { name: $l, x: ["p50", "p99"], y: [$m.p50Microseconds, $m.p99Microseconds] } ] }
    ] | map(select((.series | length) > 0) | if .baseline == null then del(.baseline) else . end),
    notes: ([
      "The generator and the controller share the machine'"'"'s cores; the generator CPU column is its own share of one core while measuring. Load average at the end of the suite: \($load_end).",
      "Throughput-mode latencies are queueing: the outstanding PACKET_INs divided by the rate (Little'"'"'s law).",
      "A PACKET_IN unanswered after 1 s counts as lost (warm-up included) and its slot is reused."
    ] + (if $rounds > 1 then ["Throughput rounds in responses/s, slowest first: " + ($labels | map(select($roundRates[.] != null) | "\(.) \($roundRates[.] | map(commas) | join(" / "))") | join("; ")) + "."] else [] end) + ($failed | map("**Failed run, missing from the tables**: \(.)")))
  }' "${reports[@]}" >"$out_json"
echo "run.sh: fragment written to $out_json" >&2
