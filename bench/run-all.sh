#!/usr/bin/env bash
# `make bench`: runs every benchmark suite one after another, each under a hard time limit (`timeout`; the
# limits add up to less than 15 minutes on the 2-core development machine), collects their result fragments
# (bench/README.md) and a run manifest in bench/results/, then writes BENCHMARKS.md and benchmarks/*.png with
# bench/Patchbay.BenchReport. A suite that fails or times out is recorded as such and the run goes on; a suite
# whose script is not in the checkout is recorded as "not present". Exits 1 when any suite has no results.
# Needs root (the lab suites), `make build` and scripts/install-deps.sh first (the Makefile's bench target does both).
set -uo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$repo"

results=bench/results
only=""
report=BENCHMARKS.md

# id | title (used when the suite has no results) | time limit (s) | script | its options (duration and size)
suites=(
    "micro|Codec, packet and policy hot paths (issues #2 and #5)|80|bench/Patchbay.Benchmarks/run.sh|"
    "controllers|Controllers side by side (issue #7)|170|bench/controllers/run.sh|--duration 3 --warmup 3 --rounds 3"
    "lab|Lab: first packet and direct-mode throughput (issue #3)|115|bench/lab/run.sh|--probes 30 --cold-probes 6 --reps 3 --seconds 4 --budget 90"
    "cni|CNI ADD/DEL (issue #6)|60|bench/cni/run.sh|--count 60 --budget 50"
    "lab-conversations|Lab: new conversations per second (issue #7)|110|bench/lab/conversations.sh|--containers-per-host 8 --port-pairs 4 --ports 16 --budget 95"
    "dataplane|Data plane: direct mode, VXLAN tunnels and static flows (issue #7)|130|bench/dataplane/run.sh|--reps 2 --seconds 4 --pings 100 --budget 120"
    "scale|Control-plane scale (issue #7)|160|bench/scale/run.sh|"
    "policy-change|Policy change to flows removed (issue #5)|70|bench/policy-change/run.sh|"
)

usage() {
    cat <<USAGE
Usage: $0 [--only SUITE[,SUITE...]] [--results DIR] [--report FILE] [--list]

  --only LIST    run only these suites (ids below); the report then holds only them
  --results DIR  fragments, run.json and logs/ (default $results; emptied first)
  --report FILE  the markdown to write (default $report; figures go to benchmarks/ next to it)
  --list         print the suites, their time limits and commands, and exit

Examples:
  sudo make bench
  sudo bench/run-all.sh --only micro,controllers --report /tmp/bench/BENCHMARKS.md --results /tmp/bench/results
USAGE
}

list() {
    local entry id title limit script args total=0
    for entry in "${suites[@]}"; do
        IFS='|' read -r id title limit script args <<<"$entry"
        printf '%-18s %4s s  %s %s\n' "$id" "$limit" "$script" "$args"
        total=$((total + limit))
    done
    printf '%-18s %4s s  (sum of the time limits)\n' "" "$total"
}

while (($#)); do
    case $1 in
        --only) only=$2; shift 2 ;;
        --results) results=$2; shift 2 ;;
        --report) report=$2; shift 2 ;;
        --list) list; exit 0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run-all: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ -n $only ]]; then
    IFS=',' read -ra wanted <<<"$only"
    for id in "${wanted[@]}"; do
        printf '%s\n' "${suites[@]}" | grep -q "^$id|" || { echo "run-all: no suite '$id' (see --list)" >&2; exit 2; }
    done
fi
(($(id -u) == 0)) || { echo "run-all: needs root (the lab suites create namespaces and OVS instances); try: sudo make bench" >&2; exit 1; }
command -v jq >/dev/null || { echo "run-all: jq is missing (scripts/install-deps.sh)" >&2; exit 1; }
generator=bench/Patchbay.BenchReport/bin/Release/net10.0/Patchbay.BenchReport.dll
[[ -f $generator ]] || { echo "run-all: $generator is missing: run 'make build' first" >&2; exit 1; }

mkdir -p "$results/logs"
rm -f "$results"/*.json "$results"/logs/*.log

# version CMD...: the first line a command prints, or nothing when it is missing.
first_line() { "$@" 2>/dev/null | head -n1; }

machine_json() {
    jq -n \
        --arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        --argjson cores "$(nproc)" \
        --arg memory "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)" \
        --arg os "$(. /etc/os-release && echo "$PRETTY_NAME")" \
        --arg kernel "$(uname -r)" \
        --arg sdk "$(dotnet --version 2>/dev/null)" \
        --arg runtime "$(dotnet --list-runtimes 2>/dev/null | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')" \
        --arg ovs "$(first_line ovs-vswitchd --version | awk '{ print $NF }')" \
        --arg osken "$(dpkg-query -W -f '${Version}' python3-os-ken 2>/dev/null)" \
        --arg testcontroller "$(first_line ovs-testcontroller --version | awk '{ print $NF }')" \
        --arg iperf3 "$(first_line iperf3 --version | awk '{ print $2 }')" \
        '{ cpu: $cpu, cores: $cores, memory: $memory, os: $os, kernel: $kernel, dotnetSdk: $sdk, dotnetRuntime: $runtime,
           ovs: $ovs, osken: $osken, ovsTestcontroller: $testcontroller, iperf3: $iperf3 }
         | with_entries(select(.value != ""))'
}

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_started=$EPOCHREALTIME
suite_records=()
failures=0

elapsed() { awk -v s="${1/,/.}" -v e="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", e - s }'; }

for entry in "${suites[@]}"; do
    IFS='|' read -r id title limit script args <<<"$entry"
    if [[ -n $only && ",$only," != *",$id,"* ]]; then
        continue
    fi
    command_line="$script${args:+ $args}"
    log=$results/logs/$id.log
    fragment=$id.json
    if [[ ! -x $script ]]; then
        echo "run-all: $id: $script is not present, skipped"
        suite_records+=("$(jq -n --arg suite "$id" --arg title "$title" --arg command "$command_line" \
            --arg reason "\`$script\` is not present in this checkout, so nothing was measured" \
            '{ suite: $suite, title: $title, command: $command, status: "missing", seconds: 0, reason: $reason }')")
        failures=$((failures + 1))
        continue
    fi

    echo "run-all: $id: $command_line (at most $limit s; output in $log)"
    suite_started=$EPOCHREALTIME
    read -ra argv <<<"$args"
    # timeout sends TERM to the suite's whole process group and KILL 30 s later: the suites clean up (labs,
    # daemons) in their TERM/EXIT traps within that grace.
    timeout --kill-after=30 "$limit" "$script" "${argv[@]}" --out-json "$results/$fragment" >"$log" 2>&1
    rc=$?
    seconds=$(elapsed "$suite_started")
    last=$(grep -v '^[[:space:]]*$' "$log" | tail -n1 | cut -c1-300)
    if ((rc == 0)); then
        status=ok reason=""
    elif ((rc == 124 || rc == 137)); then
        status=timeout reason="it was stopped by its time limit of $limit s"
    else
        status=failed reason="it exited with status $rc; the last line of its output: \`${last//\`/\'}\`"
    fi
    [[ $status == ok ]] || failures=$((failures + 1))
    echo "run-all: $id: $status after $seconds s${reason:+ ($reason)}"
    suite_records+=("$(jq -n --arg suite "$id" --arg title "$title" --arg command "$command_line" --arg status "$status" \
        --argjson seconds "$seconds" --argjson rc "$rc" --arg reason "$reason" --arg log "$log" --arg fragment "$fragment" \
        '{ suite: $suite, title: $title, command: $command, status: $status, seconds: $seconds, exitCode: $rc, log: $log, fragment: $fragment }
         + (if $reason == "" then {} else { reason: $reason } end)')")
done

total=$(elapsed "$run_started")
command_shown="make bench"
[[ -n $only ]] && command_shown="bench/run-all.sh --only $only"
printf '%s\n' "${suite_records[@]}" | jq -s \
    --arg command "$command_shown" --arg started "$started_at" --argjson seconds "$total" \
    --arg commit "$(git describe --always --dirty=' with uncommitted changes' 2>/dev/null)" --arg before "$load_before" --arg after "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --argjson machine "$(machine_json)" \
    '{ command: $command, started: $started, seconds: $seconds, commit: (if $commit == "" then null else $commit end), loadBefore: $before, loadAfter: $after,
       machine: $machine, suites: . }' >"$results/run.json"

echo "run-all: suites done in $total s; writing $report"
dotnet "$generator" --results "$results" --out "$report"
generator_rc=$?
if ((failures > 0 || generator_rc != 0)); then
    echo "run-all: $failures suite(s) without results (see $report and $results/logs/)" >&2
    exit 1
fi
