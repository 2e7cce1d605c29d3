#!/bin/sh
# Builds the Debian package of mailsift and prints its path.
#
# cargo-deb takes files as they are, so the manual pages and shell completions are first
# written by the freshly built binary itself, under the target directory, where
# [package.metadata.deb] in Cargo.toml expects them.
#
# Environment: CARGO (default cargo), CARGO_TARGET_DIR as for cargo.
set -eu
cd "$(dirname "$0")/.."
cargo=${CARGO:-cargo}

if ! "$cargo" deb --version >/dev/null 2>&1; then
    echo "build-deb: installing cargo-deb" >&2
    "$cargo" install --locked cargo-deb
fi

# The C libraries compiled into the binary (zstd, bzip2, xz) get the hardening flags Debian
# gives the C code of its own packages.
if command -v dpkg-buildflags >/dev/null 2>&1; then
    CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
    export CFLAGS
fi
"$cargo" build --release --locked --bin mailsift

target_dir=$("$cargo" metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || { echo "build-deb: cannot find the target directory" >&2; exit 1; }
bin="$target_dir/release/mailsift"
assets="$target_dir/release/package-assets"

rm -rf "$assets"
mkdir -p "$assets/man" "$assets/completions"
"$bin" manpage --dir "$assets/man"
# -n leaves the name and time out of the gzip header, so the same pages give the same bytes.
gzip -9n "$assets"/man/*.1
"$bin" completions bash >"$assets/completions/mailsift.bash"
"$bin" completions zsh >"$assets/completions/_mailsift"
"$bin" completions fish >"$assets/completions/mailsift.fish"

# The binary was built above; --no-build keeps cargo-deb from building it a second time.
"$cargo" deb --no-build --locked --output "$target_dir/debian/" >"$target_dir/debian-build.out"
deb=$(tail -n 1 "$target_dir/debian-build.out")
[ -f "$deb" ] || { echo "build-deb: cargo deb wrote no package:" >&2; cat "$target_dir/debian-build.out" >&2; exit 1; }
echo "$deb"
