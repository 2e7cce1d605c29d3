#!/bin/sh
# Peak memory (maximum resident set size) of mailsift on inputs built to exhaust it: a 1 GiB
# line without a line ending on standard input, and gzip bombs that expand 1 MiB into 1 GiB and
# 10 GiB. Memory must stay near what an ordinary log needs.
#
#   benches/hostile-rss.sh                 # builds the release binary first
#   MAILSIFT=path/to/mailsift benches/hostile-rss.sh
#
# Needs GNU time (Debian package `time`).
set -eu
cd "$(dirname "$0")/.."
if [ -z "${MAILSIFT:-}" ]; then
    cargo build --release --quiet --bin mailsift
    MAILSIFT=${CARGO_TARGET_DIR:-target}/release/mailsift
fi
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs "$@" reading standard input from $input, and prints its peak RSS and time.
measure() {
    label=$1
    shift
    status=0
    /usr/bin/time -f '%M %e' -o "$work/usage" "$@" >"$work/out" 2>"$work/err" || status=$?
    read -r kib seconds <"$work/usage"
    read_lines=$(sed -n 's/^ *"read": \([0-9]*\),*/\1/p' "$work/out" | head -1)
    over_long=$(sed -n 's/^ *"over_long": \([0-9]*\),*/\1/p' "$work/out" | head -1)
    printf '%-40s %6d MiB  %6.1f s  exit %d  lines read %s, over-long %s\n' \
        "$label" $((kib / 1024)) "$seconds" "$status" "${read_lines:-?}" "${over_long:-?}"
}

report="$MAILSIFT report --format json --year 2026"

measure "samples (baseline)" $report samples/postfix-mail.log samples/postfix-mail.log.1.gz

head -c 1073741824 /dev/zero >"$work/line"
measure "1 GiB line without newline, stdin" sh -c "$report - <'$work/line'"
rm -f "$work/line"

head -c 1073741824 /dev/zero | gzip -9 >"$work/bomb.gz"
measure "gzip bomb $(($(wc -c <"$work/bomb.gz") / 1024)) KiB -> 1 GiB" $report "$work/bomb.gz"
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$work/bomb.gz"; done >"$work/bomb10.gz"
measure "gzip bomb $(($(wc -c <"$work/bomb10.gz") / 1024)) KiB -> 10 GiB" $report "$work/bomb10.gz"
