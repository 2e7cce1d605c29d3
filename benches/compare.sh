#!/usr/bin/env bash
# Times mailsift against the tools postmasters use today, on logs made by the project's own
# generator, and prints a Markdown table of throughput and ratios.
#
#   benches/compare.sh                 # 1 GiB logs, work files in /tmp/mailsift-bench
#   SIZE=256M RUNS=5 benches/compare.sh
#
# Needs hyperfine, ripgrep, pflogsumm, eximstats (exim4-base) and GNU time; they are installed
# from Debian's packages when missing. Every figure comes from the same run on the same files,
# read from the page cache (each command is warmed up once first). The median of the runs is
# reported, since a shared machine has outliers.
set -euo pipefail

SIZE=${SIZE:-1G}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/mailsift-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

need() {
    local missing=()
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v rg >/dev/null || missing+=(ripgrep)
    command -v pflogsumm >/dev/null || missing+=(pflogsumm)
    command -v eximstats >/dev/null || missing+=(exim4-base)
    [ -x /usr/bin/time ] || missing+=(time)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
    fi
}

need
mkdir -p "$WORK"
(cd "$ROOT" && cargo build --release --quiet --bins)
MS="$ROOT/target/release/mailsift"
GEN="$ROOT/target/release/mailsift-gen"

make_logs() {
    local format=$1 file=$WORK/$1-$SIZE.log
    [ -s "$file" ] || "$GEN" --format "$format" --seed 42 --size "$SIZE" -o "$file"
    [ -s "$WORK/$format-100M.log" ] || head -c 104857600 "$file" >"$WORK/$format-100M.log"
}
make_logs postfix
make_logs exim
[ -s "$WORK/postfix-$SIZE.log.gz" ] || gzip -6 -c "$WORK/postfix-$SIZE.log" >"$WORK/postfix-$SIZE.log.gz"
if [ ! -d "$WORK/rotated" ]; then
    # Thirty daily files of a month, every other one compressed, as logrotate leaves them.
    mkdir -p "$WORK/rotated"
    for day in $(seq 1 30); do
        "$GEN" --format postfix --seed "$day" --size 20M -o "$WORK/rotated/mail.log.$day"
        if [ $((day % 2)) -eq 1 ]; then gzip -6 "$WORK/rotated/mail.log.$day"; fi
    done
fi
cat "$WORK/postfix-$SIZE.log" "$WORK/exim-$SIZE.log" "$WORK"/postfix-100M.log >/dev/null

RESULTS=$WORK/results.tsv
printf "label\tbytes\tseconds\n" >"$RESULTS"

# time_it LABEL BYTES COMMAND: the median of RUNS runs after one warm-up.
time_it() {
    local label=$1 bytes=$2 cmd=$3 json
    json=$(mktemp)
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" --shell bash "$cmd" >/dev/null
    local median
    median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    rm -f "$json"
    printf "%s\t%s\t%s\n" "$label" "$bytes" "$median" >>"$RESULTS"
}

size_of() { stat -L -c %s "$1"; }

PF=$WORK/postfix-$SIZE.log
EX=$WORK/exim-$SIZE.log
PF100=$WORK/postfix-100M.log
EX100=$WORK/exim-100M.log
GZ=$WORK/postfix-$SIZE.log.gz
ROT=("$WORK"/rotated/mail.log.*)
ROT_BYTES=$(cat "${ROT[@]}" | gzip -dcf | wc -c)

REPORT="$MS report --year 2026 -o /dev/null"

time_it "postfix: mailsift report, 1 thread" "$(size_of "$PF")" "$REPORT --threads 1 $PF"
time_it "postfix: mailsift report, 2 threads" "$(size_of "$PF")" "$REPORT --threads 2 $PF"
time_it "postfix: rg -c 'said: [245]\\d\\d'" "$(size_of "$PF")" "rg -c 'said: [245]\\d\\d' $PF >/dev/null"
time_it "postfix: wc -l" "$(size_of "$PF")" "wc -l $PF >/dev/null"
time_it "exim: mailsift report, 1 thread" "$(size_of "$EX")" "$REPORT --threads 1 $EX"
time_it "exim: mailsift report, 2 threads" "$(size_of "$EX")" "$REPORT --threads 2 $EX"
time_it "exim: rg -c ' \\*\\* | == | => '" "$(size_of "$EX")" "rg -c ' \\*\\* | == | => ' $EX >/dev/null"
time_it "postfix 100 MiB: mailsift report, 2 threads" "$(size_of "$PF100")" "$REPORT --threads 2 $PF100"
time_it "postfix 100 MiB: pflogsumm" "$(size_of "$PF100")" "pflogsumm $PF100 >/dev/null"
time_it "exim 100 MiB: mailsift report, 2 threads" "$(size_of "$EX100")" "$REPORT --threads 2 $EX100"
time_it "exim 100 MiB: eximstats" "$(size_of "$EX100")" "eximstats $EX100 >/dev/null 2>&1"
time_it "postfix gzip: mailsift report, 2 threads" "$(size_of "$PF")" "$REPORT --threads 2 $GZ"
time_it "postfix gzip: gzip -dc | wc -l" "$(size_of "$PF")" "gzip -dc $GZ | wc -l >/dev/null"
time_it "30 rotated files: mailsift report, 2 threads" "$ROT_BYTES" "$REPORT --threads 2 ${ROT[*]}"
time_it "30 rotated files: zcat -f | wc -l" "$ROT_BYTES" "zcat -f ${ROT[*]} | wc -l >/dev/null"

# Peak memory, for a file and for the same log on standard input.
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
RSS_FILE=$(rss "$MS" report --year 2026 --threads 2 "$PF" -o /dev/null)
RSS_STDIN=$(rss sh -c "$MS report --year 2026 --threads 2 - -o /dev/null < $PF")
RSS_100=$(rss "$MS" report --year 2026 --threads 2 "$PF100" -o /dev/null)
RSS_EXIM=$(rss "$MS" report --year 2026 --threads 2 "$EX" -o /dev/null)

python3 - "$RESULTS" "$RSS_FILE" "$RSS_STDIN" "$RSS_100" "$SIZE" "$RSS_EXIM" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {r["label"]: r for r in rows}
def cell(text):
    return text.replace("|", "\\|")
def mbs(r):
    return int(r["bytes"]) / float(r["seconds"]) / 1e6
print("| command | time | MB/s |")
print("|---|---:|---:|")
for r in rows:
    print(f"| {cell(r['label'])} | {float(r['seconds']):.2f} s | {mbs(r):,.0f} |")
def ratio(a, b):
    return float(by[b]["seconds"]) / float(by[a]["seconds"])
print()
print("| comparison | ratio |")
print("|---|---:|")
pairs = [
    ("postfix: mailsift report, 2 threads", "postfix: rg -c 'said: [245]\\d\\d'", "rg time / mailsift time (postfix, 2 threads)"),
    ("postfix: mailsift report, 2 threads", "postfix: mailsift report, 1 thread", "2 threads over 1 thread (postfix)"),
    ("exim: mailsift report, 2 threads", "exim: mailsift report, 1 thread", "2 threads over 1 thread (exim)"),
    ("postfix 100 MiB: mailsift report, 2 threads", "postfix 100 MiB: pflogsumm", "pflogsumm time / mailsift time"),
    ("exim 100 MiB: mailsift report, 2 threads", "exim 100 MiB: eximstats", "eximstats time / mailsift time"),
    ("postfix gzip: mailsift report, 2 threads", "postfix gzip: gzip -dc | wc -l", "gzip -dc | wc -l time / mailsift time"),
]
for a, b, name in pairs:
    print(f"| {cell(name)} | {ratio(a, b):.2f}× |")
print()
print(f"Peak RSS, mailsift report --threads 2: {int(sys.argv[2]) / 1024:.1f} MiB on the {sys.argv[5]} "
      f"Postfix file, {int(sys.argv[3]) / 1024:.1f} MiB on standard input, "
      f"{int(sys.argv[4]) / 1024:.1f} MiB on 100 MiB, {int(sys.argv[6]) / 1024:.1f} MiB on the "
      f"{sys.argv[5]} Exim file.")
PY
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
