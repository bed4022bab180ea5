#!/usr/bin/env bash
# Sums the <Counters> of every test project's TRX file into the one closing line CI reads:
#   N passed, N failed[, N skipped]
# Usage: test-summary.sh RESULTS_DIR PROJECT_NAME...   (each project is expected to have RESULTS_DIR/NAME.trx)
# A project without a TRX file (it did not build, crashed before reporting, or was never run) counts as
# one failure, so a broken project can never hide behind a green total. Exits 1 when anything failed or
# nothing ran at all.
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

passed=0 failed=0 skipped=0
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
done

line="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && line+=", $skipped skipped"
if [[ $failed -eq 0 && $passed -eq 0 ]]; then
    echo "test-summary: no test ran"
    echo "$line"
    exit 1
fi
echo "$line"
[[ $failed -eq 0 ]]
