#!/usr/bin/env bash
# Every output format, and `forcelint apps`, on a project of many connected apps: wall time
# and peak memory (/usr/bin/time -v) of each, as ratios against `--format json` in the same
# run (so that other load on the machine affects all alike).
#
#   bench/formats.sh                          # 100,000 apps
#   APPS=20000 bench/formats.sh
#   FORCELINT=/path/to/forcelint bench/formats.sh   # another build (e.g. before a change)
#   IGNORES=1000 bench/formats.sh             # also: 1,000 path [[ignore]] entries in forcelint.toml
#   GENERATE_ONLY=1 bench/formats.sh          # write the project, measure nothing
#
# The project is written once into BENCH_DIR (default: $TMPDIR/forcelint-bench) and reused.
# A quarter of the apps expire their refresh tokens (a finding each), a quarter have an
# invalid policy value, the rest are clean.
set -euo pipefail
cd "$(dirname "$0")/.."
APPS=${APPS:-100000}
IGNORES=${IGNORES:-0}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/forcelint-bench}
BIN=${FORCELINT:-$PWD/target/release/forcelint}
[ -n "${FORCELINT:-}" ] || cargo build --release --quiet --bin forcelint
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

dir=$WORK/apps-$APPS
if [ ! -f "$dir/.done" ]; then
    echo "writing $APPS connected apps to $dir" >&2
    rm -rf "$dir" && mkdir -p "$dir/force-app/main/default/connectedApps"
    echo '{"packageDirectories": [{"path": "force-app", "default": true}]}' > "$dir/sfdx-project.json"
    awk -v n="$APPS" -v out="$dir/force-app/main/default/connectedApps" 'BEGIN {
        for (i = 0; i < n; i++) {
            policy = (i % 4 == 0) ? "zero" : (i % 4 == 1) ? "sometimes" : "infinite"
            f = sprintf("%s/App_%06d.connectedApp-meta.xml", out, i)
            printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>App %d</label>\n    <oauthConfig>\n        <callbackUrl>https://x.example.com/cb</callbackUrl>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>%s</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n", i, policy > f
            close(f)
        }
    }'
    touch "$dir/.done"
fi
[ -z "${GENERATE_ONLY:-}" ] || exit 0
rm -f "$dir/forcelint.toml"
if [ "$IGNORES" -gt 0 ]; then
    awk -v n="$IGNORES" 'BEGIN { for (i = 0; i < n; i++) printf "[[ignore]]\nrule = \"expiring-refresh-token\"\npath = \"force-app/main/default/connectedApps/App_%06d.connectedApp-meta.xml\"\nreason = \"bench\"\n\n", i * 4 }' > "$dir/forcelint.toml"
fi

# measure NAME ARGS...: sets WALL (s) and RSS (MiB) of one run, stdout to /dev/null.
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$BIN" "$@" > /dev/null 2> "$log" || [ $? -le 1 ] || { cat "$log" >&2; exit 2; }
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
    rm -f "$log"
}

cd "$dir"
# A warm-up run, so that json (the reference) does not pay for a cold page cache.
"$BIN" check --format json --fail-on never > /dev/null 2>&1 || true
measure check --format json --fail-on never
JSON_WALL=$WALL JSON_RSS=$RSS
printf '%-18s %9s %9s %9s %9s\n' "$APPS apps" "wall (s)" "x json" "peak MiB" "x json"
printf '%-18s %9s %9s %9s %9s\n' "json" "$JSON_WALL" "1.00" "$JSON_RSS" "1.00"
for format in human concise sarif github gitlab junit markdown html; do
    measure check --format "$format" --color never --fail-on never
    awk -v f="$format" -v w="$WALL" -v r="$RSS" -v jw="$JSON_WALL" -v jr="$JSON_RSS" \
        'BEGIN { printf "%-18s %9.2f %9.2f %9d %9.2f\n", f, w, w / jw, r, r / jr }'
done
for format in human json csv markdown; do
    measure apps --format "$format"
    awk -v f="apps $format" -v w="$WALL" -v r="$RSS" -v jw="$JSON_WALL" -v jr="$JSON_RSS" \
        'BEGIN { printf "%-18s %9.2f %9.2f %9d %9.2f\n", f, w, w / jw, r, r / jr }'
done
