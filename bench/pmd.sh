#!/usr/bin/env bash
# OPTIONAL: forcelint against what Salesforce teams run today, on generated SFDX projects:
# Salesforce Code Analyzer's PMD engine with an XPath ruleset that approximates forcelint's
# core checks (bench/pmd-ruleset.xml; read its header comment for what it cannot express).
#
#   bench/pmd.sh                      # 3,000 and 30,000 files, source layout
#   SIZES="3000 30000 300000" bench/pmd.sh    # also 300,000 (PMD takes minutes per run)
#   RUNS=5 bench/pmd.sh               # more repetitions (the median is reported)
#   WARMUP=0 bench/pmd.sh             # no warm-up round (default 1)
#   PMD_THREADS=2 bench/pmd.sh        # give PMD -t 2 (default: PMD's own, 1 thread, which is
#                                     # what Code Analyzer passes)
#   FORCELINT=/path/to/forcelint bench/pmd.sh  # time another build
#   SCANNER_VERSION=4.12.0 bench/pmd.sh        # which @salesforce/sfdx-scanner to take PMD from
#   PMD_LIB=/opt/pmd-bin-7.11.0/lib bench/pmd.sh  # a PMD of one's own instead (no npm)
#
# PMD comes from the npm package @salesforce/sfdx-scanner (Code Analyzer v4), which ships
# PMD's jars (dist/pmd7/lib); it is installed once with `npm install --prefix` into
# BENCH_DIR/pmd-tools, never into the repository. PMD's CLI is run directly with java, as
# Code Analyzer does (`java -cp 'lib/*' net.sourceforge.pmd.cli.PmdCli check --file-list
# ... --format xml -r OUT`); the `sf` CLI and Code Analyzer's own node layer are not timed,
# which favours PMD. With no java, or no sfdx-scanner from the npm registry, it says so and
# exits 2: nothing else is downloaded.
#
# For each size it times (median of RUNS runs after WARMUP warm-up rounds, page cache warm,
# the three run alternately so that other load on the machine slows all of them alike):
#   forcelint   forcelint check DIR --format concise --fail-on never
#   PMD tree    PMD on the whole project folder (-d DIR), the way a project is scanned: PMD's
#               XML language takes every *.xml file (about 70% of the tree), parses each one
#               and runs the rules on it; other files (.cls, .js, ...) are not parsed, as no
#               rule is written for their languages
#   PMD list    PMD on only the files forcelint reads (--file-list DIR.list, written by the
#               generator): connected apps, external client app files, profiles, profile
#               session settings, Security.settings. This is PMD's best case: a list that a
#               wrapper could only build by knowing what forcelint knows
# and prints the ratios PMD/forcelint and the findings of each, rule by rule. Times come from
# bash's $EPOCHREALTIME around each command. PMD's incremental cache is off (--no-cache):
# forcelint has none, and a warm cache would time a different thing.
#
# Projects are shared with bench/run.sh: generated once into BENCH_DIR (default:
# $TMPDIR/forcelint-bench) as source-N with the same .list and .stamp files, and reused while
# the generator and its arguments are unchanged. PMD's reports go to BENCH_DIR/pmd-reports.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES=${SIZES:-"3000 30000"}
LAYOUT=source
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SEED=${SEED:-1}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/forcelint-bench}
SCANNER_VERSION=${SCANNER_VERSION:-4.12.0}
PMD_THREADS=${PMD_THREADS:-}
TOOLS=$WORK/pmd-tools
REPORTS=$WORK/pmd-reports
RULESET=$ROOT/bench/pmd-ruleset.xml

# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
unavailable() { say "pmd.sh: $*"; say "pmd.sh: skipping the PMD comparison (it is optional)."; exit 2; }

[ "${BASH_VERSINFO[0]}" -ge 5 ] || { say "error: bash 5 or newer is needed (EPOCHREALTIME)"; exit 2; }
[ -f "$RULESET" ] || { say "error: $RULESET is missing"; exit 2; }

# ---- PMD, from Salesforce Code Analyzer's npm package -----------------------------------
command -v java >/dev/null || unavailable "java is not installed (PMD runs on the JVM; apt-get install default-jre-headless)"
JAVA_VERSION=$(java -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
PKG=$TOOLS/node_modules/@salesforce/sfdx-scanner
installed_version() { sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$PKG/package.json" 2>/dev/null | head -n1; }
if [ -n "${PMD_LIB:-}" ]; then
    # A PMD of one's own (e.g. pmd-bin-7.x/lib): no npm.
    PMD_FROM="PMD_LIB=$PMD_LIB"
else
    if [ "$(installed_version)" != "$SCANNER_VERSION" ]; then
        command -v npm >/dev/null || unavailable "npm is not installed, so @salesforce/sfdx-scanner (which ships PMD) cannot be installed"
        say "installing @salesforce/sfdx-scanner@$SCANNER_VERSION into $TOOLS (npm, once; about a minute)"
        mkdir -p "$TOOLS"
        if ! npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
            "@salesforce/sfdx-scanner@$SCANNER_VERSION" >"$TOOLS/npm-install.log" 2>&1; then
            tail -n 5 "$TOOLS/npm-install.log" >&2
            unavailable "npm could not install @salesforce/sfdx-scanner@$SCANNER_VERSION (log: $TOOLS/npm-install.log)"
        fi
    fi
    # The jars' folder: the one holding pmd-core-<version>.jar. sfdx-scanner 4.x ships PMD 7
    # in dist/pmd7/lib; 3.x ships PMD 6 in dist/pmd/lib and a PMD 7 release candidate in
    # dist/pmd7/lib. The newest is taken.
    PMD_CORE=$(find "$PKG" -name 'pmd-core-*.jar' -printf '%f\t%p\n' 2>/dev/null | sort -V | tail -n1 | cut -f2)
    [ -n "$PMD_CORE" ] || unavailable "no pmd-core-*.jar inside $PKG: the package layout has changed"
    PMD_LIB=$(dirname "$PMD_CORE")
    PMD_FROM="sfdx-scanner $(installed_version)"
fi
PMD_CORE=$(compgen -G "$PMD_LIB/pmd-core-*.jar" | head -n1) || unavailable "no pmd-core-*.jar in $PMD_LIB"
PMD_VERSION=$(basename "$PMD_CORE" .jar)
PMD_VERSION=${PMD_VERSION#pmd-core-}
PMD_CP="$PMD_LIB/*"
compgen -G "$PMD_LIB/pmd-xml-*.jar" >/dev/null || unavailable "PMD in $PMD_LIB has no XML language module (pmd-xml jar)"
# PMD 7 has the `pmd check` CLI (net.sourceforge.pmd.cli.PmdCli, in pmd-cli-*.jar); PMD 6 has
# net.sourceforge.pmd.PMD, whose options differ a little.
case $PMD_VERSION in
    6.*) PMD_MAJOR=6 ;;
    *)
        PMD_MAJOR=7
        compgen -G "$PMD_LIB/pmd-cli-*.jar" >/dev/null || unavailable "PMD $PMD_VERSION in $PMD_LIB has no pmd-cli jar"
        ;;
esac
# The ruleset is written for PMD 7.0.0 and later: XPathRule is
# net.sourceforge.pmd.lang.rule.xpath.XPathRule and an XML text node's content is @Text.
# PMD 6 and PMD 7's release candidates (sfdx-scanner 3.x ships both) have
# net.sourceforge.pmd.lang.rule.XPathRule and @Image, and PMD 6 needs XPath 2.0 asked for; for
# them a translated copy of the ruleset is used. (A jar's file names are stored uncompressed,
# so grep finds the class.)
PMD_RULESET=$RULESET
if ! LC_ALL=C grep -aq 'net/sourceforge/pmd/lang/rule/xpath/XPathRule.class' "$PMD_CORE"; then
    mkdir -p "$REPORTS"
    PMD_RULESET=$REPORTS/pmd-ruleset-$PMD_VERSION.xml
    translate=(-e 's/net\.sourceforge\.pmd\.lang\.rule\.xpath\.XPathRule/net.sourceforge.pmd.lang.rule.XPathRule/'
        -e 's/@Text/@Image/g')
    [ "$PMD_MAJOR" != 6 ] ||
        translate+=(-e 's#^\( *\)<property name="xpath">#\1<property name="version" value="2.0"/>\n\1<property name="xpath">#')
    sed "${translate[@]}" "$RULESET" >"$PMD_RULESET"
    say "note: PMD $PMD_VERSION predates PMD 7.0.0; using a translated ruleset, $PMD_RULESET"
fi

# pmd_cmd INPUT_KIND INPUT REPORT: the PMD command line; INPUT_KIND is dir or list.
pmd_cmd() {
    local kind=$1 input=$2 report=$3
    PMD_ARGV=(java -cp "$PMD_CP")
    if [ "$PMD_MAJOR" = 6 ]; then
        PMD_ARGV+=(net.sourceforge.pmd.PMD --no-cache --fail-on-violation false -R "$PMD_RULESET" -f xml -r "$report")
        if [ "$kind" = dir ]; then PMD_ARGV+=(-d "$input"); else PMD_ARGV+=(--file-list "$input"); fi
        [ -z "$PMD_THREADS" ] || PMD_ARGV+=(-t "$PMD_THREADS")
    else
        PMD_ARGV+=(net.sourceforge.pmd.cli.PmdCli check --no-cache --no-progress --no-fail-on-violation
            -R "$PMD_RULESET" -f xml -r "$report")
        if [ "$kind" = dir ]; then PMD_ARGV+=(-d "$input"); else PMD_ARGV+=(--file-list "$input"); fi
        [ -z "$PMD_THREADS" ] || PMD_ARGV+=(-t "$PMD_THREADS")
    fi
}

# ---- forcelint and the generator; projects shared with bench/run.sh ----------------------
build_release
mkdir -p "$REPORTS"

# ---- timing ------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f\n", a / b; else print "n/a" }'; }

# What is timed, for the project in $dir and its list $list.
run_lint() { "$BIN" check "$dir" --format concise --fail-on never >/dev/null 2>&1 || true; }
# PMD's exit status is kept (PMD_RC[tree], PMD_RC[list]) and its log goes to a file: 0 or 5
# (recoverable errors, such as a file that does not parse) mean it ran.
declare -A PMD_RC=()
run_pmd_dir() {
    pmd_cmd dir "$dir" "$REPORTS/tree-$size.xml"
    PMD_RC[tree]=0; "${PMD_ARGV[@]}" >"$REPORTS/tree-$size.log" 2>&1 || PMD_RC[tree]=$?
}
run_pmd_list() {
    pmd_cmd list "$list" "$REPORTS/list-$size.xml"
    PMD_RC[list]=0; "${PMD_ARGV[@]}" >"$REPORTS/list-$size.log" 2>&1 || PMD_RC[list]=$?
}
pmd_ran() { # kind: fails, with PMD's log, unless PMD's last run of that kind worked
    local kind=$1
    case ${PMD_RC[$kind]:-none} in
        0 | 4 | 5) ;;
        *)
            tail -n 20 "$REPORTS/$kind-$size.log" >&2
            say "error: PMD on the ${kind} failed (exit ${PMD_RC[$kind]:-none}); its log: $REPORTS/$kind-$size.log"
            exit 1
            ;;
    esac
}

# time_alternately F...: WARMUP rounds then RUNS timed ones of the functions, one after the
# other; sets MED[i] to the median wall time in ms of the i-th function.
time_alternately() {
    local i j f t0 t1 n=$#
    local -a fns=("$@") times=()
    declare -ga MED=()
    for ((i = 0; i < WARMUP; i++)); do for f in "${fns[@]}"; do "$f"; done; done
    for ((i = 0; i < RUNS; i++)); do
        for ((j = 0; j < n; j++)); do
            t0=${EPOCHREALTIME//[.,]/}; "${fns[j]}"; t1=${EPOCHREALTIME//[.,]/}
            times[j]+=" $((10#$t1 - 10#$t0))"
        done
    done
    for ((j = 0; j < n; j++)); do
        # shellcheck disable=SC2086 # the list of times is split on purpose
        MED[j]=$(median ${times[$j]})
    done
}

# Findings. forcelint: the summary line on stderr ("7 errors, 20 warnings, 1 info in 62 files;
# ...") and the rule of each concise line; PMD: <violation> elements of the XML report.
lint_findings() { "$BIN" check "$dir" --format concise --fail-on never >"$REPORTS/forcelint-$size.txt" 2>"$REPORTS/forcelint-$size.err" || true; }
lint_total() { tail -n1 "$REPORTS/forcelint-$size.err" | sed 's/ in .*//' | grep -o '[0-9]\+' | awk '{ s += $1 } END { print s + 0 }'; }
lint_rule() { sed -n 's/^.*:[0-9]*:[0-9]*: [a-z]*\[\([a-z-]*\)\].*/\1/p' "$REPORTS/forcelint-$size.txt" | grep -cx "$1" || true; }
pmd_total() { grep -c '<violation ' "$1" || true; }
pmd_rule() { grep -c "<violation .*rule=\"$2\"" "$1" || true; }
pmd_errors() { grep -c '<error ' "$1" || true; }

# ---- the runs ----------------------------------------------------------------------------
LOAD_BEFORE=$(load_avg)
PMD_THREADS_SHOWN=${PMD_THREADS:-1 (default)}
say "machine: $(nproc) cores, $(uname -sr); forcelint $("$BIN" --version | awk '{ print $2 }'); PMD $PMD_VERSION ($PMD_FROM), java $JAVA_VERSION, PMD threads $PMD_THREADS_SHOWN; $RUNS runs per median after $WARMUP warm-up"
declare -a ROWS=() FINDINGS=()
RULES=(expiring-refresh-token:ExpiringRefreshToken enforced-ip-restrictions:EnforcedIpRestrictions
    short-session-timeout:ShortSessionTimeout integration-login-hours:IntegrationLoginHours)
for size in $SIZES; do
    dir=$(project "$size")
    list="$dir.list"
    reads=$(wc -l <"$list")
    xml_files=$(find "$dir/" -type f -name '*.xml' | wc -l)
    say "timing $size files (forcelint, PMD on the tree, PMD on the list, alternately)"
    time_alternately run_lint run_pmd_dir run_pmd_list
    lint=${MED[0]} pmd_dir=${MED[1]} pmd_list=${MED[2]}
    pmd_ran tree
    pmd_ran list
    # Findings, from the reports of the last timed runs (PMD's) and one more forcelint run.
    lint_findings
    tree_report=$REPORTS/tree-$size.xml list_report=$REPORTS/list-$size.xml
    lint_core=0
    for pair in "${RULES[@]}"; do lint_core=$((lint_core + $(lint_rule "${pair%%:*}"))); done
    ROWS+=("$(printf '%9s %7s %6s %12s %12s %7s %12s %7s %14s %9s %9s' "$size" "$xml_files" "$reads" \
        "$lint ms" "$pmd_dir ms" "$(ratio "$pmd_dir" "$lint")" "$pmd_list ms" "$(ratio "$pmd_list" "$lint")" \
        "$lint_core/$(lint_total)" "$(pmd_total "$tree_report")" "$(pmd_total "$list_report")")")
    for pair in "${RULES[@]}"; do
        FINDINGS+=("$(printf '%9s  %-26s %9s %9s %9s' "$size" "${pair%%:*}" "$(lint_rule "${pair%%:*}")" \
            "$(pmd_rule "$tree_report" "${pair#*:}")" "$(pmd_rule "$list_report" "${pair#*:}")")")
    done
    errors="$(pmd_errors "$tree_report")/$(pmd_errors "$list_report")"
    [ "$errors" = 0/0 ] || say "note: PMD reported processing errors at $size files (tree/list): $errors (see $REPORTS)"
    if [ "$lint_core" -gt 0 ] && [ "$(pmd_total "$list_report")" = 0 ]; then
        say "warning: PMD found nothing where forcelint found $lint_core: does the ruleset suit PMD $PMD_VERSION?"
    fi
done

echo
echo "forcelint vs. PMD $PMD_VERSION (Salesforce Code Analyzer's PMD engine, $PMD_FROM) with bench/pmd-ruleset.xml"
echo "($(nproc) cores, $LAYOUT layout, median of $RUNS runs after $WARMUP warm-up; PMD threads: $PMD_THREADS_SHOWN; java $JAVA_VERSION)"
echo "(load average before: $LOAD_BEFORE, after: $(load_avg))"
printf '%9s %7s %6s %12s %12s %7s %12s %7s %14s %9s %9s\n' files "xml" reads forcelint "PMD tree" "x" "PMD list" "x" \
    "findings:fl" "PMD tree" "PMD list"
for row in "${ROWS[@]}"; do echo "$row"; done
echo
echo "  xml: *.xml files in the tree (what PMD on the tree parses); reads: files forcelint reads (the list)"
echo "  x: PMD time / forcelint time; PMD list: PMD given only forcelint's files (--file-list)"
echo "  findings:fl: forcelint's findings of the four rules below / of all its rules"
echo
echo "findings by rule (the ruleset is a single-file simplification: see bench/pmd-ruleset.xml)"
printf '%9s  %-26s %9s %9s %9s\n' files "rule" forcelint "PMD tree" "PMD list"
for row in "${FINDINGS[@]}"; do echo "$row"; done
