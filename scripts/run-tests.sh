#!/usr/bin/env bash
# Runs every test project under tests/ (already built in $CONFIGURATION) one after another, continuing
# after a failure, each writing RESULTS_DIR/NAME.trx; then prints the summary line and exits with its status.
set -uo pipefail
cd "$(dirname "$0")/.."

configuration=${CONFIGURATION:-Release}
results=${RESULTS_DIR:-.test-results}
# A hung test must not eat CI's 90 minutes: the runner kills a test host that is silent this long and
# records the run as aborted; the outer timeout is a backstop for a hang in the runner itself.
hang_timeout=${TEST_HANG_TIMEOUT:-10m}
project_timeout=${TEST_PROJECT_TIMEOUT:-900}

rm -rf "$results"
mkdir -p "$results"

mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
if [[ ${#projects[@]} -eq 0 ]]; then
    echo "run-tests: no *.Tests.csproj under tests/"
    echo "0 passed, 0 failed"
    exit 1
fi

names=()
for csproj in "${projects[@]}"; do
    name=$(basename "$csproj" .csproj)
    names+=("$name")
    echo "=== $name"
    timeout --kill-after=30s "$project_timeout" \
        dotnet test "$csproj" -c "$configuration" --no-build \
            --logger "trx;LogFileName=$name.trx" \
            --results-directory "$results/" \
            --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none \
        || echo "run-tests: $name exited with status $?"
done

exec scripts/test-summary.sh "$results" "${names[@]}"
