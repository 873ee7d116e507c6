#!/usr/bin/env bash
# The one command of the demo: Azurite + the marketplace simulator + the self-hosted FunctionsSync runtime.
#   scripts/run.sh            run until Ctrl-C (API on http://127.0.0.1:7071)
#   scripts/run.sh --once     one full cycle with live progress and a summary table; exit 0 only if every run succeeded
#   scripts/run.sh --no-demo  do not seed demo organizations and connections
#   scripts/run.sh --in-memory  Azurite keeps nothing on disk (large local experiments: its on-disk table store slows as it grows)
# Environment: Api__AdminKey (else the data folder's key, generated on first start), HOST_URL, SIMULATOR_PORT, AZURITE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

# A script started in the background (`scripts/run.sh &`) inherits SIGINT ignored, and bash cannot trap a signal
# ignored at its start: restart once with SIGINT and SIGQUIT at their defaults, so Ctrl-C and `kill -INT` stop it
# (and its children) as in the foreground.
if [ -z "${FUNCTIONSSYNC_RUN_SIGNALS:-}" ] && command -v perl >/dev/null; then
  export FUNCTIONSSYNC_RUN_SIGNALS=1
  exec perl -e '$SIG{INT} = "DEFAULT"; $SIG{QUIT} = "DEFAULT"; exec @ARGV or die "exec: $!"' bash "$0" "$@"
fi

ONCE=0; DEMO=true; IN_MEMORY=0
for arg in "$@"; do
  case "$arg" in
    --once) ONCE=1 ;;
    --no-demo) DEMO=false ;;
    --in-memory) IN_MEMORY=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
source scripts/lib/azurite.sh
ensure_azurite

echo "== building"
dotnet build src/FunctionsSync.SelfHosted -c Release -nologo -v quiet
dotnet build src/FunctionsSync.Simulator -c Release -nologo -v quiet

PIDS=()
# Ctrl-C in a terminal signals the whole foreground process group at once: Azurite, the simulator and the host run in
# sessions of their own (setsid), so only this script gets it and stops them newest first: the host (its graceful
# shutdown checkpoints runs into storage that is still there), then the simulator, then Azurite.
command -v setsid >/dev/null && export FUNCTIONSSYNC_DETACH=1
cleanup() {
  local reversed=() i
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do reversed+=("${PIDS[$i]}"); done
  [ ${#reversed[@]} -eq 0 ] || stop_pids "${reversed[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Azurite keeps its data in .azurite/ between runs (one JSON file per table store, rewritten as it grows: past a few
# hundred MB writes slow to a crawl, hence --in-memory for large experiments).
AZURITE_DIR="${AZURITE_DIR:-$ROOT/.azurite}"
mkdir -p "$AZURITE_DIR"
if [ "$IN_MEMORY" -eq 1 ]; then
  start_azurite "$AZURITE_DIR/azurite.log"
  echo "== Azurite in memory (nothing kept after exit)"
else
  start_azurite "$AZURITE_DIR/azurite.log" "$AZURITE_DIR"
  echo "== Azurite data in $AZURITE_DIR"
fi
PIDS+=("$AZURITE_PID")
export Storage__ConnectionString="$AZURITE_CONNECTION_STRING"

# The admin key belongs to the data: the same folder keeps the same key across restarts (given one wins).
if [ -z "${Api__AdminKey:-}" ]; then
  KEY_FILE="$AZURITE_DIR/admin-key"
  if [ ! -s "$KEY_FILE" ] || [ "$IN_MEMORY" -eq 1 ]; then
    (umask 077; node -e 'console.log("fsa_" + require("crypto").randomBytes(24).toString("hex"))' > "$KEY_FILE.new")
    mv "$KEY_FILE.new" "$KEY_FILE"
  fi
  export Api__AdminKey="$(cat "$KEY_FILE")"
  [ "$IN_MEMORY" -eq 1 ] || export FUNCTIONSSYNC_ADMIN_KEY_FILE="${KEY_FILE#"$ROOT"/}"
fi

# So is the key that encrypts secrets at rest: the data it encrypted needs it (Secrets:Keys given explicitly win).
if [ -z "${Secrets__Keys__0__Key:-}" ]; then
  SECRETS_FILE="$AZURITE_DIR/secrets-key"
  if [ ! -s "$SECRETS_FILE" ] || [ "$IN_MEMORY" -eq 1 ]; then
    (umask 077; node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))' > "$SECRETS_FILE.new")
    mv "$SECRETS_FILE.new" "$SECRETS_FILE"
  fi
  export Secrets__Keys__0__Id=local Secrets__Keys__0__Key="$(cat "$SECRETS_FILE")"
fi

SIM_PORT=$(free_port "${SIMULATOR_PORT:-7080}")
${FUNCTIONSSYNC_DETACH:+setsid} dotnet src/FunctionsSync.Simulator/bin/Release/net10.0/FunctionsSync.Simulator.dll --urls "http://127.0.0.1:$SIM_PORT" &
PIDS+=($!)
wait_port "$SIM_PORT" "${PIDS[-1]}" "the simulator"
echo "== marketplace simulator on http://127.0.0.1:$SIM_PORT"

export Demo__Enabled="$DEMO" Demo__SimulatorUrl="http://127.0.0.1:$SIM_PORT"
# With the demo the host prints the key once it listens; without, here.
[ "$DEMO" = true ] || echo "admin key (X-Api-Key): $Api__AdminKey${FUNCTIONSSYNC_ADMIN_KEY_FILE:+ (kept in $FUNCTIONSSYNC_ADMIN_KEY_FILE)}"
HOST_URL="${HOST_URL:-http://127.0.0.1:7071}"
HOST_BIN="$ROOT/src/FunctionsSync.SelfHosted/bin/Release/net10.0"
# The host's own folder is its content root: its appsettings.json (log levels) applies whatever the working directory.
HOST_ARGS=(--urls "$HOST_URL" --contentRoot "$HOST_BIN")
[ "$ONCE" -eq 1 ] && HOST_ARGS+=(--once)

echo "== FunctionsSync host"
set +e
${FUNCTIONSSYNC_DETACH:+setsid} dotnet "$HOST_BIN/FunctionsSync.SelfHosted.dll" "${HOST_ARGS[@]}" &
HOST_PID=$!
PIDS+=($HOST_PID)
wait "$HOST_PID"
STATUS=$?
set -e
exit "$STATUS"
