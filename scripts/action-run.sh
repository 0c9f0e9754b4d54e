#!/usr/bin/env bash
# The check step of action.yml: one run of `forcelint check` that annotates the pull request
# (--format github), writes the Markdown report to the job summary and, when asked, SARIF.
# Inputs come as INPUT_* variables; paths and args are split on whitespace.
set -uo pipefail
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
args=(check ${paths[@]+"${paths[@]}"} --fail-on "${INPUT_FAIL_ON:-warning}")
[ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
if [ "${INPUT_ANNOTATIONS:-true}" = true ]; then args+=(--format github); fi
summary=
if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary=$(mktemp)
  args+=(--output "markdown=$summary")
fi
[ -z "${INPUT_SARIF:-}" ] || args+=(--output "sarif=$INPUT_SARIF")
args+=(${extra[@]+"${extra[@]}"})

forcelint "${args[@]}"
status=$?
if [ -n "$summary" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
  rm -f "$summary"
fi
if [ -n "${INPUT_SARIF:-}" ] && [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "sarif=$INPUT_SARIF" >> "$GITHUB_OUTPUT"
fi
exit "$status"
