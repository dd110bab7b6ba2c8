#!/bin/sh
# The GitHub Action's checks (action.yml): `git kep toc --check`, then `git kep check --format
# github` (annotations), both whatever the first found; a job summary with the problems counted
# by rule; exit 1 at the end if either failed. Run in the repository checked out.
#
# KEP_PATHS  files or directories, separated by spaces (default: kep.dir)
# KEP_SINCE  report only what changed since this revision's merge base; on pull_request events
#            it defaults to origin/$GITHUB_BASE_REF
# KEP_CHECK  `true` (default) to run `git kep check` too
# GITHUB_STEP_SUMMARY, GITHUB_EVENT_NAME, GITHUB_BASE_REF: set by GitHub Actions
set -u

paths=${KEP_PATHS:-}
since=${KEP_SINCE:-}
run_check=${KEP_CHECK:-true}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

if [ -z "$since" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request|pull_request_target)
      since=origin/$GITHUB_BASE_REF
      echo "git-kep: reporting what this pull request changes (since: $since)" ;;
  esac
fi
if [ -n "$since" ] && [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  echo "::warning title=git-kep::a shallow clone: --since $since needs the history (actions/checkout with fetch-depth: 0)"
fi

toc_status=0
# shellcheck disable=SC2086 # paths are split on spaces on purpose
git kep toc --check $paths || toc_status=$?

check_status=0
json=
if [ "$run_check" = true ]; then
  # shellcheck disable=SC2086
  git kep check --format github ${since:+--since "$since"} $paths || check_status=$?
  if [ "$check_status" -le 1 ] && command -v jq >/dev/null 2>&1; then
    json=$(mktemp)
    # shellcheck disable=SC2086
    git kep check --format json ${since:+--since "$since"} $paths > "$json" 2>/dev/null
  fi
fi

verdict() {
  case "$1" in
    0) echo "passed" ;;
    1) echo "**failed**" ;;
    *) echo "**error** (exit $1: see the log)" ;;
  esac
}
{
  echo "## git-kep"
  echo
  echo "| step | result |"
  echo "| --- | --- |"
  echo "| \`git kep toc --check\` | $(verdict "$toc_status") |"
  if [ "$run_check" = true ]; then
    echo "| \`git kep check\`${since:+ since \`$since\`} | $(verdict "$check_status") |"
  fi
  if [ -n "$json" ] && [ -s "$json" ]; then
    jq -r '
      def cell: tostring | gsub("\\|"; "\\|") | gsub("\n"; " ");
      (.problems | length) as $n
      | "",
        "\($n) problem\(if $n == 1 then "" else "s" end) in \(.files_checked) file\(if .files_checked == 1 then "" else "s" end) checked.",
        (if $n > 0 then
          "", "| rule | problems |", "| --- | ---: |",
          (.counts | to_entries[] | select(.value > 0) | "| `\(.key)` | \(.value) |"),
          "", "<details><summary>The findings\(if $n > 100 then " (the first 100)" else "" end)</summary>", "",
          "| where | rule | message |", "| --- | --- | --- |",
          (.problems[:100][] | "| `\(.path):\(.line):\(.column)` | `\(.rule)` | \(.message | cell) |"),
          "", "</details>"
        else empty end)
    ' "$json"
  elif [ "$run_check" = true ] && ! command -v jq >/dev/null 2>&1; then
    echo
    echo "(jq is not installed on this runner: no counts by rule here; the log has the findings.)"
  fi
} >> "$summary"
[ -z "$json" ] || rm -f "$json"

if [ "$toc_status" -ne 0 ] || [ "$check_status" -ne 0 ]; then
  echo "git-kep: toc --check exited $toc_status, check exited $check_status"
  exit 1
fi
