#!/usr/bin/env bash
# Runs the whole test suite against a fresh Azurite on free ports and prints
#   tests: N passed, N failed, N skipped
# from the real results (TRX). Exit status is non-zero when any test fails or the build breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
RESULTS="$ROOT/TestResults"
CONFIGURATION="${CONFIGURATION:-Debug}"

# Azurite, pinned by package-lock.json.
if [ ! -x node_modules/.bin/azurite ]; then
  echo "== installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

read -r BLOB QUEUE TABLE < <(node -e '
const net = require("net");
const ports = [];
(async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise(r => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); s.close(r); }); });
  }
  console.log(ports.join(" "));
})();')

AZURITE_DIR="$(mktemp -d)"
node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$BLOB" --queuePort "$QUEUE" --tablePort "$TABLE" >"$AZURITE_DIR/azurite.log" 2>&1 &
AZURITE_PID=$!
cleanup() { kill "$AZURITE_PID" 2>/dev/null || true; wait "$AZURITE_PID" 2>/dev/null || true; rm -rf "$AZURITE_DIR"; }
trap cleanup EXIT

for port in "$TABLE" "$QUEUE" "$BLOB"; do
  up=0
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then up=1; break; fi
    kill -0 "$AZURITE_PID" 2>/dev/null || break
    sleep 0.2
  done
  if [ "$up" -ne 1 ]; then
    echo "Azurite did not start:" >&2; cat "$AZURITE_DIR/azurite.log" >&2
    echo "tests: 0 passed, 1 failed"; exit 1
  fi
done
echo "== Azurite on 127.0.0.1 (blob $BLOB, queue $QUEUE, table $TABLE)"

export FUNCTIONSSYNC_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE/devstoreaccount1;"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== building"
dotnet build FunctionsSync.sln -c "$CONFIGURATION" -nologo -v quiet

echo "== testing"
rm -rf "$RESULTS"
set +e
dotnet test FunctionsSync.sln -c "$CONFIGURATION" --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@"
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
if [ "$failed" -gt 0 ] && [ "$STATUS" -eq 0 ]; then STATUS=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$STATUS"
