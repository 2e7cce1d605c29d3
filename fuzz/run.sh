#!/bin/sh
# Runs every fuzz target for a fixed number of executions, seeded from tests/fixtures and
# samples, and prints executions and crashes per target.
#
#   fuzz/run.sh                    # every target, its default number of executions
#   RUNS=200000 fuzz/run.sh chunker decompress
#
# The defaults take a few minutes per target on two cores: the targets differ a
# hundredfold in speed (a timestamp is tiny; a chunker input may expand to 140 KiB).
#
# Needs a nightly toolchain (cargo-fuzz builds with sanitizer flags stable does not take) and
# cargo-fuzz (`cargo install --locked cargo-fuzz`). Crashing inputs land in
# fuzz/artifacts/TARGET/; each one found so far is a regression test in the normal suite.
set -eu
cd "$(dirname "$0")"
RUNS=${RUNS:-}
TOOLCHAIN=${TOOLCHAIN:-nightly}
[ "$#" -gt 0 ] || set -- postfix_line exim_line timestamp chunker decompress
FIX=../tests/fixtures
SAMPLES=../samples

# One seed file per line of each log.
lines() {
    dir=$1
    shift
    for file in "$@"; do
        split -l 1 -a 5 "$file" "$dir/$(basename "$file")-"
    done
}

seed() {
    target=$1
    dir=corpus/$target
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || return 0
    case $target in
    postfix_line) lines "$dir" "$FIX/postfix/shapes.log" "$SAMPLES/postfix-mail.log" ;;
    exim_line)
        lines "$dir" "$FIX/exim/mainlog-shapes.log" "$FIX/exim/syslog-exim.log" \
            "$SAMPLES/exim-mainlog"
        ;;
    timestamp)
        for file in "$FIX"/*/*.log "$SAMPLES/postfix-mail.log" "$SAMPLES/exim-mainlog"; do
            cut -c1-40 "$file" | sort -u | split -l 1 -a 5 - "$dir/$(basename "$file")-"
        done
        ;;
    chunker)
        # Four bytes of settings (chunk size, read sizes, failure), then a piece of a log.
        for file in "$FIX"/*/*.log; do
            for settings in '\100\000\003\001' '\007\000\002\000' '\000\020\001\005'; do
                {
                    printf "$settings"
                    printf '\005\017\001'
                    head -c 3000 "$file"
                } >"$dir/$(basename "$file")-$(printf "$settings" | od -An -tx1 | tr -d ' ')"
            done
        done
        # A line just over the limit: 0xff 65 'x' stands for 65 KiB of x.
        printf '\000\004\000\001first\n\377\101x\nlast\r\n' >"$dir/over-long"
        ;;
    decompress)
        for file in "$FIX"/*/*.log; do
            name=$dir/$(basename "$file")
            head -c 4000 "$file" >"$name.plain"
            head -c 4000 "$file" | gzip -c >"$name.gz"
            for tool in zstd bzip2 xz; do
                if command -v $tool >/dev/null 2>&1; then
                    head -c 4000 "$file" | $tool -c >"$name.$tool"
                fi
            done
        done
        # Two gzip members, as a rotated file that was appended to.
        cat "$dir/shapes.log.gz" "$dir/syslog-exim.log.gz" >"$dir/two-members.gz"
        ;;
    esac
}

runs_of() {
    if [ -n "$RUNS" ]; then
        echo "$RUNS"
        return
    fi
    case $1 in
    timestamp) echo 1000000 ;;
    chunker) echo 30000 ;;
    exim_line) echo 150000 ;;
    *) echo 200000 ;;
    esac
}

dict_of() {
    case $1 in
    postfix_line | chunker) echo dict/postfix.dict ;;
    exim_line) echo dict/exim.dict ;;
    timestamp) echo dict/timestamp.dict ;;
    *) echo "" ;;
    esac
}

mkdir -p runs
# One build for every target; `fuzz run` then finds them built.
cargo +"$TOOLCHAIN" fuzz build
summary=""
for target in "$@"; do
    seed "$target"
    dict=$(dict_of "$target")
    log=runs/$target.log
    mkdir -p "artifacts/$target"
    before=$(ls "artifacts/$target" | wc -l)
    # A slow input is a finding too: -timeout stops it and leaves it in artifacts/.
    cargo +"$TOOLCHAIN" fuzz run "$target" "corpus/$target" -- \
        -runs="$(runs_of "$target")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        ${dict:+-dict="$dict"} >"$log" 2>&1 || true
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=$(($(ls "artifacts/$target" | wc -l) - before))
    line="$target: ${execs:-?} executions, $crashes new crashing inputs (log: fuzz/$log)"
    echo "$line"
    summary="$summary$line
"
done
echo
printf '%s' "$summary"
find artifacts -type f 2>/dev/null | grep -q . && echo "crashing inputs: fuzz/artifacts/" || true
