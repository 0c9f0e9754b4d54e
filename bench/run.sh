#!/usr/bin/env bash
# forcelint against the floor of its own work, on generated SFDX projects.
#
#   bench/run.sh                      # 3,000, 30,000 and 300,000 files, source layout
#   SIZES="3000 30000" bench/run.sh   # other sizes
#   LAYOUT=mdapi bench/run.sh         # metadata API layout (src/, no sfdx-project.json)
#   RUNS=20 bench/run.sh              # more repetitions (the median is reported)
#   FORCELINT=/path/to/forcelint bench/run.sh   # time another build (e.g. before a change)
#
# For each size it times (median of RUNS runs after 2 warm-up runs, page cache warm):
#   forcelint  forcelint check DIR --format concise --fail-on never
#   floor      find DIR -type f > /dev/null, then cat of every file forcelint must read
#              (the list the generator writes), i.e. one walk of the whole tree plus
#              one read of each relevant file, by the fastest ordinary tools
# and prints the ratio forcelint/floor, forcelint's peak memory (/usr/bin/time -v), the
# pre-commit case (one connected app, `forcelint check FILE`: its project's org settings,
# profiles and ECA files are loaded as context), and how each grows from size to size.
# forcelint and the floor run alternately, so that both see the same machine: other work
# on it (its load average is printed) slows both alike rather than skewing the ratio.
# Times come from bash's $EPOCHREALTIME around each command, with no shell in between.
#
# Projects are generated once into BENCH_DIR (default: $TMPDIR/forcelint-bench) and reused
# while the generator and its arguments are unchanged. Nothing is written elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES=${SIZES:-"3000 30000 300000"}
LAYOUT=${LAYOUT:-source}
RUNS=${RUNS:-10}
SEED=${SEED:-1}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/forcelint-bench}
# Targets (from the issue): ratio to the floor, peak memory at the largest size, one file.
TARGET_RATIO=1.5
TARGET_MEM_MB=50
TARGET_ONE_MS=20

# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

# ---- tools -------------------------------------------------------------------------
apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing $* with apt-get"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null 2>&1 || true
    fi
}
[ -x /usr/bin/time ] || apt_install time
[ -x /usr/bin/time ] || { say "error: /usr/bin/time is needed for peak memory (apt-get install time)"; exit 2; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { say "error: bash 5 or newer is needed (EPOCHREALTIME)"; exit 2; }

build_release

# ---- timing ------------------------------------------------------------------------

# time_alternately A B: runs the functions A and B one after the other, 2 warm-up rounds
# then RUNS timed ones; sets MED_A and MED_B to their median wall times in ms.
time_alternately() {
    local i t0 t1 ta=() tb=()
    for ((i = 0; i < 2; i++)); do "$1"; "$2"; done
    for ((i = 0; i < RUNS; i++)); do
        t0=${EPOCHREALTIME//[.,]/}; "$1"; t1=${EPOCHREALTIME//[.,]/}; ta+=($((10#$t1 - 10#$t0)))
        t0=${EPOCHREALTIME//[.,]/}; "$2"; t1=${EPOCHREALTIME//[.,]/}; tb+=($((10#$t1 - 10#$t0)))
    done
    MED_A=$(median "${ta[@]}")
    MED_B=$(median "${tb[@]}")
}

# What is timed, for the project in $dir, its list $list and the file $one_file.
run_lint() { "$BIN" check "$dir" --format concise --fail-on never >/dev/null 2>&1 || true; }
run_floor() { find "$dir" -type f >/dev/null; xargs -d '\n' cat <"$list" >/dev/null; }
run_one() { "$BIN" check "$one_file" --format concise --fail-on never >/dev/null 2>&1 || true; }
run_cat_one() { cat "$one_file" >/dev/null; }

# peak_mb COMMAND...: the largest maximum resident set size of 3 runs, in MB (1000 kB).
peak_mb() {
    local i kb max=0
    for i in 1 2 3; do
        kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): *//p')
        [ "${kb:-0}" -gt "$max" ] && max=$kb
    done
    awk -v k="$max" 'BEGIN { printf "%.1f\n", k / 1000 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# ---- the runs ----------------------------------------------------------------------
LOAD_BEFORE=$(load_avg)
say "machine: $(nproc) cores, $(uname -sr); forcelint $("$BIN" --version | awk '{ print $2 }'); $RUNS runs per median"
declare -a ROWS=()
declare -A LINT FLOOR ONE
for size in $SIZES; do
    dir=$(project "$size")
    list="$dir.list"
    reads=$(wc -l <"$list")
    read_kb=$(xargs -d '\n' du -ck <"$list" | tail -n1 | cut -f1)
    # forcelint must have read exactly the listed files ("... in N files" on stderr).
    summary=$("$BIN" check "$dir" --format concise --fail-on never 2>&1 >/dev/null | tail -n1)
    seen=$(printf '%s\n' "$summary" | sed -n 's/.* in \([0-9]*\) files*.*/\1/p')
    if [ "$seen" != "$reads" ]; then
        say "warning: forcelint read ${seen:-?} files, the generator listed $reads ($summary)"
    fi
    say "timing $size files"
    time_alternately run_lint run_floor
    lint=$MED_A floor=$MED_B
    mem=$(peak_mb "$BIN" check "$dir" --format concise --fail-on never)
    # The pre-commit case: one connected app, linted with its project's context.
    one_file=$(grep -m1 '\.connectedApp' "$list")
    time_alternately run_one run_cat_one
    one=$MED_A
    LINT[$size]=$lint
    FLOOR[$size]=$floor
    ONE[$size]=$one
    r=$(ratio "$lint" "$floor")
    ROWS+=("$(printf '%9s %6s %9s %11s %10s %7s %10s %10s' "$size" "$reads" "$(awk -v k="$read_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')" "$lint ms" "$floor ms" "$r" "$mem MB" "$one ms")")
    last=$size
    last_dir=$dir
    last_one=$one_file
    last_mem=$mem
done

echo
echo "forcelint vs. the floor: find over the whole tree + cat of the files forcelint reads"
echo "($(nproc) cores, $LAYOUT layout, median of $RUNS runs; load average before: $LOAD_BEFORE, after: $(load_avg))"
printf '%9s %6s %9s %11s %10s %7s %10s %10s\n' files reads "read" forcelint floor ratio "peak RSS" "one file"
for row in "${ROWS[@]}"; do echo "$row"; done

echo
echo "growth (time at the larger size / time at the smaller)"
prev=""
for size in $SIZES; do
    if [ -n "$prev" ]; then
        printf '  %s -> %s files (x%s): forcelint x%s, floor x%s, one file x%s\n' "$prev" "$size" \
            "$(ratio "$size" "$prev")" "$(ratio "${LINT[$size]}" "${LINT[$prev]}")" \
            "$(ratio "${FLOOR[$size]}" "${FLOOR[$prev]}")" "$(ratio "${ONE[$size]}" "${ONE[$prev]}")"
    fi
    prev=$size
done
echo
echo "one file: forcelint check ${last_one#"$last_dir"/} (its project's org settings, profiles and ECA files are read as context)"

echo
verdict() { if "$@"; then echo ok; else echo missed; fi; }
ratios_ok=true
for s in $SIZES; do le "$(ratio "${LINT[$s]}" "${FLOOR[$s]}")" "$TARGET_RATIO" || ratios_ok=false; done
echo "targets:"
echo "  forcelint/floor <= $TARGET_RATIO at every size: $(verdict $ratios_ok)"
echo "  peak RSS <= $TARGET_MEM_MB MB at $last files: $(verdict le "$last_mem" "$TARGET_MEM_MB")"
echo "  one file of the $last-file project <= $TARGET_ONE_MS ms: $(verdict le "${ONE[$last]}" "$TARGET_ONE_MS")"
