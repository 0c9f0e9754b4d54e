#!/usr/bin/env bash
# Hostile inputs that used to take time or memory far beyond their size: wall time and peak
# memory (/usr/bin/time -v) of each case, with `--format json` on the same input as the
# reference, in the same run.
#
#   bench/hostile.sh
#   FORCELINT=/path/to/forcelint bench/hostile.sh   # another build (e.g. before a change)
#
# Cases (written once into BENCH_DIR, default $TMPDIR/forcelint-bench):
#   elements  one connected app with 40,000 distinct unknown elements (fingerprints: sarif,
#             gitlab, --write-baseline)
#   repeated  one connected app of 15 MiB: one unknown element, repeated (json, human); its
#             tree would be 30 times its size, and is refused at xml::MAX_NODES
#   profile   one profile of 15 MiB: one child no rule reads, repeated (json): not kept
#   namespaces one connected app with 200,000 namespace declarations and 100,000 children,
#             each resolving its namespace (json)
#   ignores   50,000 apps and 1,000 path [[ignore]] entries (json)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/forcelint-bench}
BIN=${FORCELINT:-$PWD/target/release/forcelint}
[ -n "${FORCELINT:-}" ] || cargo build --release --quiet --bin forcelint
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
TIMEOUT=${TIMEOUT:-600}

app() { # app FILE BODY: a connected app with BODY in its oauthPolicy
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">\n<label>x</label>\n<oauthConfig><callbackUrl>https://x.example.com/cb</callbackUrl><scopes>Api</scopes></oauthConfig>\n<oauthPolicy>' > "$1"
    cat >> "$1"
    printf '</oauthPolicy>\n</ConnectedApp>\n' >> "$1"
}
mkdir -p "$WORK/hostile-elements" "$WORK/hostile-repeated" "$WORK/hostile-profile" "$WORK/hostile-namespaces"
[ -s "$WORK/hostile-elements/E.connectedApp-meta.xml" ] ||
    awk 'BEGIN { for (i = 0; i < 40000; i++) printf "<x%d/>\n", i }' | app "$WORK/hostile-elements/E.connectedApp-meta.xml"
[ -s "$WORK/hostile-repeated/R.connectedApp-meta.xml" ] ||
    awk 'BEGIN { for (i = 0; i < 15 * 1024 * 1024 / 4; i++) printf "<x/>" }' | app "$WORK/hostile-repeated/R.connectedApp-meta.xml"
[ -s "$WORK/hostile-profile/P.profile-meta.xml" ] ||
    awk 'BEGIN { printf "<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">"
                 for (i = 0; i < 15 * 1024 * 1024 / 4; i++) printf "<x/>"; printf "</Profile>\n" }' \
        > "$WORK/hostile-profile/P.profile-meta.xml"
[ -s "$WORK/hostile-namespaces/N.connectedApp-meta.xml" ] ||
    awk 'BEGIN { printf "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\""
                 for (i = 0; i < 200000; i++) printf " xmlns:p%d=\"u\"", i
                 printf ">"; for (i = 0; i < 100000; i++) printf "<x/>"; printf "</ConnectedApp>\n" }' \
        > "$WORK/hostile-namespaces/N.connectedApp-meta.xml"

# measure LABEL ARGS...: one run, stdout discarded; prints wall time, peak memory, exit status.
measure() {
    local label=$1 log status=0
    shift
    log=$(mktemp)
    timeout "$TIMEOUT" /usr/bin/time -v "$BIN" "$@" > /dev/null 2> "$log" || status=$?
    awk -F': ' -v l="$label" -v s="$status" '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
        /Maximum resident set size/ { m = $2 / 1024 }
        END { printf "%-34s %9.2f s %8.0f MiB  exit %s\n", l, w, m, s }' "$log"
    rm -f "$log"
}

measure "elements: json" check "$WORK/hostile-elements" --format json
measure "elements: sarif" check "$WORK/hostile-elements" --format sarif
measure "elements: gitlab" check "$WORK/hostile-elements" --format gitlab
measure "elements: --write-baseline" check "$WORK/hostile-elements" --write-baseline "$WORK/hostile-baseline.json"
measure "repeated: json" check "$WORK/hostile-repeated" --format json
measure "repeated: human" check "$WORK/hostile-repeated" --format human --color never
measure "profile: json" check "$WORK/hostile-profile" --format json
measure "namespaces: json" check "$WORK/hostile-namespaces" --format json

APPS=50000 GENERATE_ONLY=1 FORCELINT=$BIN BENCH_DIR=$WORK bench/formats.sh
dir=$WORK/apps-50000
rm -f "$dir/forcelint.toml"
measure "ignores: json, no [[ignore]]" check "$dir" --format json
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "[[ignore]]\nrule = \"expiring-refresh-token\"\npath = \"force-app/main/default/connectedApps/App_%06d.connectedApp-meta.xml\"\nreason = \"bench\"\n\n", i * 4 }' > "$dir/forcelint.toml"
(cd "$dir" && measure "ignores: json, 1,000 [[ignore]]" check --format json)
rm -f "$dir/forcelint.toml"
