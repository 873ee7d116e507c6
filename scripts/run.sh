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
source scripts/lib/azurite.sh
ensure_azurite

echo "== building"
dotnet build src/FunctionsSync.Host -c Release -nologo -v quiet
dotnet build src/FunctionsSync.Simulator -c Release -nologo -v quiet

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
start_azurite "$AZURITE_DIR/azurite.log" "$AZURITE_DIR"
PIDS+=("$AZURITE_PID")
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING"
echo "== Azurite data in $AZURITE_DIR"

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
