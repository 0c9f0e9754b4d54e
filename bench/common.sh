# shellcheck shell=bash
# Shared by bench/run.sh and bench/pmd.sh (sourced, not run): messages, the release build,
# the generated projects and medians. Expects ROOT (the repository), WORK (where projects
# go), LAYOUT and SEED to be set.

say() { printf '%s\n' "$*" >&2; }

# Builds forcelint and the project generator; sets BIN (FORCELINT if given) and GEN.
# shellcheck disable=SC2034 # BIN and GEN are for the scripts that source this file
build_release() {
    say "building (release)"
    cargo build --release --quiet --bin forcelint --example generate
    BIN=${FORCELINT:-$ROOT/target/release/forcelint}
    GEN=$ROOT/target/release/examples/generate
}

# project SIZE: prints the project folder of SIZE files, generated once into WORK and reused
# while the generator and its arguments are unchanged; the files forcelint must read are
# listed in the folder's name + `.list`.
project() {
    local size=$1 dir="$WORK/$LAYOUT-$1"
    local stamp
    stamp="$(sha256sum "$ROOT/examples/generate.rs" | cut -c1-16) files=$size layout=$LAYOUT seed=$SEED"
    if [ -d "$dir" ] && [ -f "$dir.list" ] && [ "$(cat "$dir.stamp" 2>/dev/null)" = "$stamp" ]; then
        printf '%s\n' "$dir"
        return
    fi
    mkdir -p "$WORK"
    rm -rf "$dir" "$dir.tmp" "$dir.list" "$dir.stamp"
    say "generating $size files ($LAYOUT layout) in $dir"
    "$GEN" --files "$size" --layout "$LAYOUT" --seed "$SEED" --list "$dir.list" "$dir.tmp" >&2
    # The list names the final folder.
    sed -i "s#^$dir.tmp/#$dir/#" "$dir.list"
    mv "$dir.tmp" "$dir"
    printf '%s\n' "$stamp" >"$dir.stamp"
    printf '%s\n' "$dir"
}

# median MICROSECONDS...: the median, in milliseconds with one decimal.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'; }

load_avg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
