# Pure helpers of bench/lab/run.sh (sourced, no I/O besides stdin/stdout): reading ping output and
# summarising samples. bench/lab/test-stats.sh checks them on fixed inputs.

# ping_rtts: ping's output on stdin -> "SEQ MS" per reply, in arrival order; duplicates (DUP!) skipped.
ping_rtts() {
    awk '/icmp_seq=/ && !/DUP!/ {
        seq = ""; ms = ""
        for (i = 1; i <= NF; i++) {
            if ($i ~ /^icmp_seq=/) { seq = substr($i, 10) }
            if ($i ~ /^time=/) { ms = substr($i, 6) }
        }
        if (seq != "" && ms != "") { print seq, ms }
    }'
}

# first_rtt: "SEQ MS" lines on stdin -> the RTT of icmp_seq=1, or nothing when that reply is missing.
first_rtt() {
    awk '$1 == 1 { print $2; exit }'
}

# steady_median: "SEQ MS" lines on stdin -> the median RTT of every reply after the first (seq > 1),
# or nothing when fewer than MIN (default 3) of them arrived.
steady_median() {
    awk '$1 > 1 { print $2 }' | sort -g | awk -v min="${1:-3}" '
        { v[NR] = $1 }
        END {
            if (NR < min) { exit }
            if (NR % 2) { printf "%.3f\n", v[(NR + 1) / 2] } else { printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }
        }'
}

# percentile P: numbers on stdin -> the nearest-rank P-th percentile (the ceil(P*N/100)-th smallest),
# or nothing for no input. P is an integer 1..100.
percentile() {
    sort -g | awk -v p="$1" '
        { v[NR] = $1 }
        END {
            if (NR == 0) { exit }
            i = int((p * NR + 99) / 100)
            if (i < 1) { i = 1 }
            printf "%.2f\n", v[i]
        }'
}

# median: numbers on stdin -> their median, or nothing for no input.
median() {
    sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { exit }
            if (NR % 2) { printf "%.3f\n", v[(NR + 1) / 2] } else { printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }
        }'
}

# minmax: numbers on stdin -> "MIN MAX", or nothing for no input.
minmax() {
    sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) { print lo, hi } }'
}

# gbits: bits per second -> Gbit/s with two decimals.
gbits() {
    awk -v b="$1" 'BEGIN { printf "%.2f\n", b / 1e9 }'
}

# ratio A B: A/B with two decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'
}

# at_least A B: succeeds when A >= B (decimal numbers).
at_least() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'
}
