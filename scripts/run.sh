#!/usr/bin/env bash
# The one command of the demo: Azurite + the marketplace simulator + the self-hosted FunctionsSync runtime.
#   scripts/run.sh            run until Ctrl-C (API on http://127.0.0.1:7071)
#   scripts/run.sh --once     one full cycle with live progress and a summary table; exit 0 only if every run succeeded
#   scripts/run.sh --no-demo  do not seed demo organizations and connections
# Environment: Api__AdminKey (else one is generated and printed), HOST_URL, SIMULATOR_PORT, AZURITE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

ONCE=0; DEMO=true
for arg in "$@"; do
  case "$arg" in
    --once) ONCE=1 ;;
    --no-demo) DEMO=false ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ ! -x node_modules/.bin/azurite ]; then
  echo "== installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== building"
dotnet build src/FunctionsSync.Host -c Release -nologo -v quiet
dotnet build src/FunctionsSync.Simulator -c Release -nologo -v quiet

free_port() {  # $1: preferred port
  node -e '
const net = require("net");
const tryListen = p => new Promise(r => { const s = net.createServer(); s.once("error", () => r(null)); s.listen(p, "127.0.0.1", () => { const a = s.address().port; s.close(() => r(a)); }); });
(async () => { console.log((await tryListen(+process.argv[1])) ?? (await tryListen(0))); })();' "$1"
}

wait_port() {  # $1: port, $2: pid, $3: name
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited at start-up" >&2; return 1; }
    sleep 0.2
  done
  echo "$3 did not open port $1" >&2; return 1
}

PIDS=()
cleanup() {
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Azurite keeps its data in .azurite/ between runs.
AZURITE_DIR="${AZURITE_DIR:-$ROOT/.azurite}"
mkdir -p "$AZURITE_DIR"
BLOB=$(free_port 10000); QUEUE=$(free_port 10001); TABLE=$(free_port 10002)
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$AZURITE_DIR" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$BLOB" --queuePort "$QUEUE" --tablePort "$TABLE" >"$AZURITE_DIR/azurite.log" 2>&1 &
PIDS+=($!)
wait_port "$TABLE" "${PIDS[-1]}" Azurite
wait_port "$QUEUE" "${PIDS[-1]}" Azurite
export Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE/devstoreaccount1;"
echo "== Azurite on 127.0.0.1 (blob $BLOB, queue $QUEUE, table $TABLE), data in $AZURITE_DIR"

SIM_PORT=$(free_port "${SIMULATOR_PORT:-7080}")
dotnet src/FunctionsSync.Simulator/bin/Release/net10.0/FunctionsSync.Simulator.dll --urls "http://127.0.0.1:$SIM_PORT" &
PIDS+=($!)
wait_port "$SIM_PORT" "${PIDS[-1]}" "the simulator"
echo "== marketplace simulator on http://127.0.0.1:$SIM_PORT"

export Demo__Enabled="$DEMO" Demo__SimulatorUrl="http://127.0.0.1:$SIM_PORT"
if [ "$DEMO" != true ] && [ -z "${Api__AdminKey:-}" ]; then
  export Api__AdminKey="fsa_$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  echo "admin key (X-Api-Key): $Api__AdminKey"
fi
HOST_URL="${HOST_URL:-http://127.0.0.1:7071}"
HOST_ARGS=(--urls "$HOST_URL")
[ "$ONCE" -eq 1 ] && HOST_ARGS+=(--once)

echo "== FunctionsSync host"
set +e
dotnet src/FunctionsSync.Host/bin/Release/net10.0/FunctionsSync.Host.dll "${HOST_ARGS[@]}" &
HOST_PID=$!
PIDS+=($HOST_PID)
wait "$HOST_PID"
STATUS=$?
set -e
exit "$STATUS"
