#!/usr/bin/env bash
# The micro-benchmarks (codec, packet, policy, planning) in one short BenchmarkDotNet run, in process, for `make bench`:
# 1 warm-up and 10 measured iterations of about 200 ms per benchmark, which fits the four classes in about
# a minute on 2 cores (the figures in earlier BENCHMARKS.md editions came from the longer ShortRun job:
# 3 warm-up, 3 measured iterations of 0.5 s). Allocation is exact either way; the times are indicative.
# Prints BenchmarkDotNet's tables; with --out-json FILE also writes a result fragment (bench/README.md).
# Environment: BUILD_LOCK (a flock file held around the dotnet build, if any).
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$repo"

filter='*'
iterations=10
iteration_ms=200
out_json=""
artifacts=""

usage() {
    cat <<USAGE
Usage: $0 [--filter GLOB] [--iterations N] [--iteration-ms MS] [--artifacts DIR] [--out-json FILE]

  --filter GLOB      BenchmarkDotNet filter (default '$filter': CodecBenchmarks, PacketBenchmarks, PolicyBenchmarks, PlanningBenchmarks)
  --iterations N     measured iterations per benchmark (default $iterations, 1 warm-up before them)
  --iteration-ms MS  target length of one iteration (default $iteration_ms)
  --artifacts DIR    BenchmarkDotNet's output directory (default: a new /tmp/pbmicro.* directory)
  --out-json FILE    also write the result fragment to FILE

Examples:
  $0
  $0 --filter '*PolicyBenchmarks*' --out-json /tmp/micro.json
USAGE
}

while (($#)); do
    case $1 in
        --filter) filter=$2; shift 2 ;;
        --iterations) iterations=$2; shift 2 ;;
        --iteration-ms) iteration_ms=$2; shift 2 ;;
        --artifacts) artifacts=$2; shift 2 ;;
        --out-json) out_json=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

[[ $iterations =~ ^[0-9]+$ ]] && ((iterations >= 1 && iterations <= 50)) || { echo "run.sh: --iterations must be 1..50" >&2; exit 2; }
[[ $iteration_ms =~ ^[0-9]+$ ]] && ((iteration_ms >= 10 && iteration_ms <= 2000)) || { echo "run.sh: --iteration-ms must be 10..2000" >&2; exit 2; }
command -v jq >/dev/null || { echo "run.sh: jq is missing (scripts/install-deps.sh)" >&2; exit 1; }
artifacts=${artifacts:-$(mktemp -d /tmp/pbmicro.XXXXXX)}
mkdir -p "$artifacts"

started=$EPOCHREALTIME
lock=()
[[ -n ${BUILD_LOCK:-} ]] && lock=(flock "$BUILD_LOCK")
"${lock[@]}" dotnet build bench/Patchbay.Benchmarks/Patchbay.Benchmarks.csproj -c Release -v quiet -nologo >"$artifacts/build.log" 2>&1 \
    || { echo "run.sh: building the benchmarks failed (see $artifacts/build.log)" >&2; exit 1; }
dotnet run -c Release --no-build --project bench/Patchbay.Benchmarks -- --filter "$filter" --inProcess \
    --launchCount 1 --warmupCount 1 --iterationCount "$iterations" --iterationTime "$iteration_ms" \
    --exporters json --artifacts "$artifacts"
seconds=$(awk -v s="${started/,/.}" -v e="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", e - s }')

[[ -n $out_json ]] || exit 0
mapfile -t reports < <(find "$artifacts/results" -name '*-report-full-compressed.json' | sort)
((${#reports[@]})) || { echo "run.sh: BenchmarkDotNet wrote no JSON report under $artifacts/results" >&2; exit 1; }

command_line="bench/Patchbay.Benchmarks/run.sh"
[[ $filter != '*' ]] && command_line+=" --filter '$filter'"
((iterations != 10)) && command_line+=" --iterations $iterations"
((iteration_ms != 200)) && command_line+=" --iteration-ms $iteration_ms"

# BenchmarkDotNet's report: Statistics in ns per operation, Memory.BytesAllocatedPerOperation in bytes.
jq -s --arg command "$command_line" --argjson seconds "$seconds" --argjson iterations "$iterations" --argjson ms "$iteration_ms" '
  # 1234567.89 -> "1,234,567.9" (one decimal below 100, none above).
  def commas: (if . < 100 then (. * 10 | round / 10) else round end) as $v
    | ($v | floor | tostring | explode | reverse | [range(0; length; 3) as $i | .[$i:$i + 3]] | map(reverse | implode) | reverse | join(","))
      + (if $v != ($v | floor) then "." + ($v * 10 | round % 10 | tostring) else "" end);
  def bytes: if . == null then "–" else commas end;
  [.[].Benchmarks[]] as $b
  | ($b | map(select(.Method == "Decide")) | first) as $decide
  | {
      suite: "micro",
      title: "Codec, packet and policy hot paths (issues #2 and #5)",
      command: $command,
      seconds: $seconds,
      summary: ("BenchmarkDotNet \(.[0].HostEnvironmentInfo.BenchmarkDotNetVersion), in process, 1 warm-up and \($iterations) measured iterations of about \($ms) ms per benchmark, single-threaded, on \(.[0].HostEnvironmentInfo.ProcessorName) (\(.[0].HostEnvironmentInfo.LogicalCoreCount) logical cores), \(.[0].HostEnvironmentInfo.RuntimeVersion). "
        + "Targets: decoding a PACKET_IN and encoding a FLOW_MOD allocate 0 bytes (issue #2); at least 1,000,000 policy decisions per second on one core with 0 bytes per decision (issue #5). "
        + (if $decide then "Decide: \((1e9 / $decide.Statistics.Mean) | commas) decisions/s, \($decide.Memory.BytesAllocatedPerOperation) B per decision. " else "" end)
        + "The Allocated column is exact; the times come from a short job on a shared machine and are indicative (earlier figures came from the longer ShortRun job: 3 warm-up, 3 measured iterations of 0.5 s)."),
      tables: [ {
        caption: "Per operation: mean of the measured iterations",
        columns: ["benchmark", "mean (ns)", "± standard error (ns)", "allocated (B)"],
        rows: [ $b[] | ["`\(.Type).\(.Method)`", (.Statistics.Mean | commas), (.Statistics.StandardError | commas), (.Memory.BytesAllocatedPerOperation | bytes)] ]
      } ],
      figures: [],
      notes: ["No peer exists for these: they are absolute figures, with the targets in the summary."]
    }' "${reports[@]}" >"$out_json"
echo "run.sh: fragment written to $out_json" >&2
