#!/usr/bin/env bash
# Sums the <Counters> of every test project's TRX file into the one closing line CI reads:
#   N passed, N failed[, N skipped]
# Usage: test-summary.sh RESULTS_DIR PROJECT_NAME...   (each project is expected to have RESULTS_DIR/NAME.trx)
# A project without a TRX file (it did not build, crashed before reporting, or was never run) counts as
# one failure, so a broken project can never hide behind a green total. Exits 1 when anything failed or
# nothing ran at all.
# Failed tests are named (with the first line of their message, and for Assert.All the first failing item's error)
# just above the closing line, so a CI log that keeps only its tail still says which test failed and why; at most
# 20 are listed.
set -uo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 RESULTS_DIR PROJECT_NAME..." >&2
    exit 2
fi
results=$1
shift

attr() { # attr NAME COUNTERS_ELEMENT -> the attribute's integer value, 0 when absent
    local v
    v=$(grep -o "[[:space:]]$1=\"[0-9]*\"" <<<"$2" | head -n1 | grep -o '[0-9]\+')
    echo "${v:-0}"
}

failed_tests() { # failed_tests TRX -> "  NAME: first line of its message" for each failed test in it
    awk 'BEGIN { RS = "<UnitTestResult " }
        NR > 1 {
            head = substr($0, 1, index($0, ">"))
            if (head !~ /outcome="(Failed|Error|Timeout|Aborted)"/) next
            name = head; sub(/.*testName="/, "", name); sub(/".*/, "", name)
            message = ""
            start = index($0, "<Message>")
            if (start > 0) {
                message = substr($0, start + 9); sub(/<\/Message>.*/, "", message)
                sub(/^[ \t\r\n]+/, "", message)
                first = message; sub(/[\r\n].*/, "", first)
                # Assert.All says only how many items failed on its first line; the error of the first follows.
                if (first ~ /^Assert\.All\(\) Failure/ && match(message, /Error:[^\r\n]*/)) {
                    first = first " | " substr(message, RSTART, RLENGTH)
                }
                message = first
                if (length(message) > 600) message = substr(message, 1, 600) "..."
                message = ": " message
            }
            line = name message
            gsub(/&quot;/, "\"", line); gsub(/&apos;/, "'\''", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
            print line
        }' "$1"
}

passed=0 failed=0 skipped=0
failures=()
for name in "$@"; do
    trx="$results/$name.trx"
    counters=""
    [[ -f $trx ]] && counters=$(tr '\n' ' ' <"$trx" | grep -o '<Counters [^>]*>' | head -n1)
    if [[ -z $counters ]]; then
        echo "test-summary: $name produced no results ($trx missing or without <Counters>): counted as 1 failed"
        failed=$((failed + 1))
        continue
    fi
    p=$(attr passed "$counters")
    # error/timeout/aborted are failures the runner reports outside 'failed'.
    f=$(( $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters") ))
    s=$(attr notExecuted "$counters")
    printf "test-summary: %-32s passed=%s failed=%s skipped=%s\n" "$name" "$p" "$f" "$s"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if [[ $f -gt 0 ]]; then
        mapfile -t named < <(failed_tests "$trx")
        failures+=("${named[@]/#/  $name: }")
    fi
done

if [[ ${#failures[@]} -gt 0 ]]; then
    echo "test-summary: failed tests (${#failures[@]}; the project's output above has each one's whole message):"
    printf '%s\n' "${failures[@]:0:20}"
    [[ ${#failures[@]} -gt 20 ]] && echo "  ... and $(( ${#failures[@]} - 20 )) more"
fi

line="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && line+=", $skipped skipped"
if [[ $failed -eq 0 && $passed -eq 0 ]]; then
    echo "test-summary: no test ran"
    echo "$line"
    exit 1
fi
echo "$line"
[[ $failed -eq 0 ]]
