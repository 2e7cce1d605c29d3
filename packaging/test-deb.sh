#!/bin/sh
# Builds the Debian package, installs it on this machine, uses it as a postmaster would, runs
# lintian on it, and removes it again. Exits non-zero on the first thing that is wrong.
#
# This installs into the running system (with sudo when not root): run it on a build or test
# machine, not on a mail server.
#
# Environment:
#   MAILSIFT_DEB          test this .deb instead of building one
#   MAILSIFT_KEEP_INSTALLED=1   leave the package installed afterwards
#   LINTIAN_REPORT        where to write lintian's output (default: beside the .deb)
set -eu
cd "$(dirname "$0")/.."

say() { echo "test-deb: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

deb=${MAILSIFT_DEB:-$(packaging/build-deb.sh)}
[ -f "$deb" ] || fail "no package at $deb"
say "package $deb"

# What the package holds, checked before anything is installed.
contents=$(dpkg-deb --contents "$deb")
for path in \
    ./usr/bin/mailsift \
    ./usr/share/man/man1/mailsift.1.gz \
    ./usr/share/man/man1/mailsift-report.1.gz \
    ./usr/share/bash-completion/completions/mailsift \
    ./usr/share/zsh/vendor-completions/_mailsift \
    ./usr/share/fish/vendor_completions.d/mailsift.fish \
    ./usr/share/doc/mailsift/README.md \
    ./usr/share/doc/mailsift/copyright \
    ./usr/share/doc/mailsift/changelog.Debian.gz \
    ./usr/share/doc/mailsift/examples/mailsift.cron \
    ./usr/share/doc/mailsift/examples/mailsift-report.service \
    ./usr/share/doc/mailsift/examples/mailsift-report.timer; do
    echo "$contents" | grep -q " $path\$" || fail "the package has no $path"
done
# The log generator is a development tool and stays out of the package.
if echo "$contents" | grep -q "mailsift-gen"; then
    fail "the package holds mailsift-gen"
fi

work=$(mktemp -d)
cleanup() {
    rm -rf "$work"
    if [ "${MAILSIFT_KEEP_INSTALLED:-0}" != 1 ]; then
        as_root dpkg --purge mailsift >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# man-db renders the pages below; lintian checks the package at the end.
install_tools() {
    say "installing $*"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v man >/dev/null 2>&1 || install_tools man-db

as_root dpkg -i "$deb" >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out" >&2; fail "dpkg -i"; }
dpkg-query -W -f='${Status}\n' mailsift | grep -q "install ok installed" ||
    fail "dpkg does not list mailsift as installed"

# The installed program, run by its installed path on the bundled samples.
bin=/usr/bin/mailsift
"$bin" --version | grep -q "^mailsift [0-9]" || fail "mailsift --version"
"$bin" report --year 2026 --color never samples/postfix-mail.log samples/postfix-mail.log.1.gz \
    >"$work/report.txt" || fail "mailsift report exited with status $?"
grep -q "Outcomes by class" "$work/report.txt" || fail "the report has no class split"
grep -q "550 5.1.1" "$work/report.txt" || fail "the report does not show 550 5.1.1"
status=0
"$bin" report --year 2026 --format csv --fail-on '5xx>2%' samples/postfix-mail.log \
    >"$work/report.csv" || status=$?
[ "$status" -eq 3 ] || fail "--fail-on '5xx>2%' on the samples gave status $status, not 3"
head -n 1 "$work/report.csv" | grep -q "^reply_code,enhanced_code," || fail "CSV header"
"$bin" report --year 2026 --format csv samples/exim-mainlog >"$work/exim.csv" ||
    fail "mailsift report on the Exim sample"

# Manual pages: installed where man finds them, and clean for groff.
man_dir=/usr/share/man/man1
zcat "$man_dir/mailsift.1.gz" >"$work/mailsift.1"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS '"EXIT STATUS"' ENVIRONMENT FILES \
    EXAMPLES '"SEE ALSO"'; do
    grep -q "^\.SH $section\$" "$work/mailsift.1" || fail "mailsift(1) has no $section section"
done
for command in report events explain codes trace manpage completions; do
    [ -f "$man_dir/mailsift-$command.1.gz" ] || fail "no page mailsift-$command(1)"
    grep -q "mailsift\\\\-$command" "$work/mailsift.1" || fail "mailsift(1) does not name $command"
done
for page in "$man_dir"/mailsift*.1.gz; do
    warnings=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) ||
        fail "man -l $page"
    [ -z "$warnings" ] || fail "groff warns about $page: $warnings"
done
MANWIDTH=80 man -l "$man_dir/mailsift.1.gz" 2>/dev/null | grep -q "EXIT STATUS" ||
    fail "man -l does not render mailsift(1)"

# Completions: present, and the bash one loads and registers itself.
for file in /usr/share/bash-completion/completions/mailsift \
    /usr/share/zsh/vendor-completions/_mailsift \
    /usr/share/fish/vendor_completions.d/mailsift.fish; do
    [ -s "$file" ] || fail "$file is missing or empty"
done
bash -c '. /usr/share/bash-completion/completions/mailsift && complete -p mailsift' \
    >/dev/null 2>&1 || fail "the bash completion does not register for mailsift"
if command -v zsh >/dev/null 2>&1; then
    zsh -n /usr/share/zsh/vendor-completions/_mailsift || fail "zsh cannot parse _mailsift"
fi
if command -v fish >/dev/null 2>&1; then
    fish --no-execute /usr/share/fish/vendor_completions.d/mailsift.fish ||
        fail "fish cannot parse mailsift.fish"
fi

# The systemd examples, checked by systemd's own parser where it is installed.
examples=/usr/share/doc/mailsift/examples
if command -v systemd-analyze >/dev/null 2>&1; then
    cp "$examples/mailsift-report.service" "$examples/mailsift-report.timer" "$work/"
    if ! systemd-analyze verify --man=no "$work/mailsift-report.timer" \
        "$work/mailsift-report.service" >"$work/verify.out" 2>&1 ||
        [ -s "$work/verify.out" ]; then
        cat "$work/verify.out" >&2
        fail "systemd-analyze verify rejects the example units"
    fi
fi

# lintian, from Debian, reads the package as Debian's archive would.
if ! command -v lintian >/dev/null 2>&1; then
    install_tools lintian
fi
report=${LINTIAN_REPORT:-${deb%.deb}.lintian.txt}
status=0
lintian --info --display-info --fail-on error "$deb" >"$report" 2>&1 || status=$?
cat "$report" >&2
[ "$status" -eq 0 ] || fail "lintian found errors (status $status); see $report"
say "lintian: $(grep -c '^E:' "$report" || true) errors, $(grep -c '^W:' "$report" || true) warnings, \
$(grep -c '^I:' "$report" || true) notes ($report)"

say "ok"
