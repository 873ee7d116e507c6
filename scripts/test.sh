#!/usr/bin/env bash
# Runs the whole test suite against a fresh Azurite on free ports and prints
#   tests: N passed, N failed, N skipped
# from the real results (TRX). Exit status is non-zero when any test fails or the build breaks.
#   scripts/test.sh                 everything but the Volume and Long traits (stores of 20,000+ records, real
#                                   outages of minutes)
#   scripts/test.sh --all           everything, as .ci/run runs it
#   scripts/test.sh --filter ...    what the filter selects (other arguments go to dotnet test as they are)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
if [ "${1:-}" = "--all" ]; then
  shift
  TEST_ARGS=("$@")
elif [ $# -eq 0 ]; then
  TEST_ARGS=(--filter "Category!=Volume&Category!=Long")
else
  TEST_ARGS=("$@")
fi
RESULTS="$ROOT/TestResults"
CONFIGURATION="${CONFIGURATION:-Debug}"

source scripts/lib/azurite.sh
ensure_azurite
# The dashboard's browser test needs it; a failed install leaves that one test to fail and say why.
ensure_chromium || true

AZURITE_LOG="$(mktemp)"
cleanup() { [ -z "${AZURITE_PID:-}" ] || stop_pids "$AZURITE_PID"; rm -f "$AZURITE_LOG"; }
trap cleanup EXIT
if ! start_azurite "$AZURITE_LOG"; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

export FUNCTIONSSYNC_TEST_STORAGE="$AZURITE_CONNECTION_STRING"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

STARTED=$SECONDS
# The pinned .NET tools of .config/dotnet-tools.json: Kiota, which a test generates a client with.
echo "== restoring the pinned .NET tools (dotnet tool restore)"
dotnet tool restore >/dev/null
echo "== building"
dotnet build FunctionsSync.sln -c "$CONFIGURATION" -nologo -v quiet
BUILT=$SECONDS

echo "== testing"
rm -rf "$RESULTS"
set +e
dotnet test FunctionsSync.sln -c "$CONFIGURATION" --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "${TEST_ARGS[@]}"
STATUS=$?
set -e

passed=0; failed=0; skipped=0
shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + total - p - f - e - t - a))
done
if [ "${#trx_files[@]}" -eq 0 ]; then
  echo "no test results were written" >&2
  failed=$((failed + 1)); STATUS=1
fi
# The contract tests read the vendors' files from FUNCTIONSSYNC_CONTRACTS or ../shared/contracts; where those are
# here, a contract test that skipped is a failure (it would hide a contract the adapters no longer meet).
CONTRACTS="${FUNCTIONSSYNC_CONTRACTS:-$ROOT/../shared/contracts}"
if [ -d "$CONTRACTS" ] && [ "${#trx_files[@]}" -gt 0 ]; then
  skipped_contracts="$(python3 scripts/lib/trx_skipped.py FunctionsSync.IntegrationTests.Contracts. "${trx_files[@]}")"
  if [ -n "$skipped_contracts" ]; then
    echo "== contract tests skipped although the contracts are at $CONTRACTS:"
    echo "$skipped_contracts"
    failed=$((failed + $(echo "$skipped_contracts" | wc -l))); STATUS=1
  fi
fi
if [ "$failed" -gt 0 ] && [ "$STATUS" -eq 0 ]; then STATUS=1; fi
# The failures again, last, so that a log cut to its tail still names them and says why.
if [ "$failed" -gt 0 ] && [ "${#trx_files[@]}" -gt 0 ]; then
  echo "== failed tests"
  python3 scripts/lib/trx_failures.py "${trx_files[@]}" || true
fi
[ -d "$RESULTS/artifacts" ] && echo "artifacts (the dashboard's screenshot): $RESULTS/artifacts"
echo "wall time: $((SECONDS - STARTED)) s (build $((BUILT - STARTED)) s, tests $((SECONDS - BUILT)) s)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$STATUS"
