# Pure helpers of bench/lab/conversations.sh and bench/dataplane/run.sh (sourced, no I/O besides
# stdin/stdout): reading bench/lab/convgen.py's output, rates, sample caps and the path-MTU search.
# bench/lab/test-convstats.sh checks them on fixed inputs.

# conn_setups: convgen connect lines on stdin -> SETUP_MS of every connection that succeeded.
conn_setups() {
    awk '$5 == "ok" { print $3 }'
}

# conn_summary: convgen connect lines on stdin -> "OK FAILED WALL_MS RATE_PER_S": connections that
# succeeded and failed, the time from the first connect to the last connection's end, and OK / that time.
conn_summary() {
    awk '
        NF < 5 { next }
        {
            if ($5 == "ok") { ok++ } else { failed++ }
            if (first == "" || $2 < first) { first = $2 }
            end = $2 + $4
            if (last == "" || end > last) { last = end }
        }
        END {
            wall = last - first
            printf "%d %d %.1f %.1f\n", ok, failed, wall, (wall > 0 ? ok * 1000 / wall : 0)
        }'
}

# conn_failures: convgen connect lines on stdin -> "RESULT COUNT" per kind of failure, most frequent first.
conn_failures() {
    awk '$5 != "ok" && NF >= 5 { n[$5]++ } END { for (r in n) print r, n[r] }' | sort -k2,2nr -k1,1
}

# cap_samples MAX: numbers on stdin -> at most MAX of them, evenly spaced in input order (all when fewer).
cap_samples() {
    awk -v max="$1" '{ v[NR] = $0 } END {
        if (NR <= max) { for (i = 1; i <= NR; i++) print v[i]; exit }
        for (i = 0; i < max; i++) print v[int(i * NR / max) + 1]
    }'
}

# largest_passing LO HI PROBE...: the largest N in LO..HI for which "PROBE... N" succeeds, by binary
# search (PROBE must succeed for every N up to some limit and fail above it); prints nothing when it
# fails already at LO.
largest_passing() {
    local lo=$1 hi=$2 mid
    shift 2
    "$@" "$lo" || return 0
    while ((lo < hi)); do
        mid=$(((lo + hi + 1) / 2))
        if "$@" "$mid"; then lo=$mid; else hi=$((mid - 1)); fi
    done
    echo "$lo"
}
