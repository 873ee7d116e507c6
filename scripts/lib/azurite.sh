# Shared by the scripts: the pinned Azurite, free ports, readiness waits. Source it from the repository root.

# The pinned npm tools of package.json: Azurite, and Redocly's CLI that lints the OpenAPI document in the tests.
ensure_azurite() {
  if [ ! -x node_modules/.bin/azurite ] || [ ! -x node_modules/.bin/redocly ]; then
    echo "== installing the pinned npm tools: Azurite, Redocly CLI (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# free_port [preferred]: the preferred port when free, else any free loopback port.
free_port() {
  node -e '
const net = require("net");
const tryListen = p => new Promise(r => { const s = net.createServer(); s.once("error", () => r(null)); s.listen(p, "127.0.0.1", () => { const a = s.address().port; s.close(() => r(a)); }); });
(async () => { console.log((process.argv[1] && await tryListen(+process.argv[1])) || (await tryListen(0))); })();' "${1:-0}"
}

# wait_port PORT PID NAME: until the port accepts connections (fails if PID exits first).
wait_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited at start-up" >&2; return 1; }
    sleep 0.2
  done
  echo "$3 did not open port $1" >&2
  return 1
}

# start_azurite LOGFILE [LOCATION]: in memory unless LOCATION is given; sets AZURITE_PID and AZURITE_CONNECTION_STRING.
# Azurite binds port 0 for each service and names the ports it got in its log: no port is picked here and released
# before Azurite binds it (another process could take it meanwhile).
start_azurite() {
  local log="$1" location="${2:-}" blob="" queue="" table=""
  local persistence=(--inMemoryPersistence)
  [ -n "$location" ] && persistence=(--location "$location")
  # FUNCTIONSSYNC_DETACH: in a session of its own, so a terminal's Ctrl-C reaches only the script, which stops it last.
  ${FUNCTIONSSYNC_DETACH:+setsid} node_modules/.bin/azurite --skipApiVersionCheck --loose --disableTelemetry "${persistence[@]}" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort 0 --queuePort 0 --tablePort 0 >"$log" 2>&1 &
  AZURITE_PID=$!
  listening_port() { sed -n "s#^Azurite $1 service is successfully listening at http://127.0.0.1:\([0-9]*\).*#\1#p" "$log" | head -1; }
  for _ in $(seq 1 300); do
    blob=$(listening_port Blob); queue=$(listening_port Queue); table=$(listening_port Table)
    [ -n "$blob" ] && [ -n "$queue" ] && [ -n "$table" ] && break
    kill -0 "$AZURITE_PID" 2>/dev/null || { echo "Azurite exited at start-up" >&2; cat "$log" >&2; return 1; }
    sleep 0.2
  done
  if [ -z "$blob" ] || [ -z "$queue" ] || [ -z "$table" ]; then
    echo "Azurite did not start listening within 60 s" >&2; cat "$log" >&2; return 1
  fi
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  echo "== Azurite on 127.0.0.1 (blob $blob, queue $queue, table $table)"
}

# stop_pids PID...: stops each in the order given, the next only once the one before has exited (the host first, so its
# graceful shutdown still finds the simulator and storage): SIGTERM, a second SIGTERM after 3 s (Azurite's graceful
# close can stall on the first), SIGKILL after 30 s.
stop_pids() {
  local pid tick
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || continue
    for tick in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      [ "$tick" -eq 30 ] && kill "$pid" 2>/dev/null
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# ensure_chromium: Debian's chromium for the dashboard's browser test (Playwright drives it; its own browser download
# does not work on these machines). Installed with apt when absent; FUNCTIONSSYNC_CHROMIUM names another executable.
ensure_chromium() {
  [ -n "${FUNCTIONSSYNC_CHROMIUM:-}" ] && return 0
  command -v chromium >/dev/null && return 0
  echo "== installing chromium (apt-get)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq chromium >/dev/null 2>&1 || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq chromium >/dev/null; }
  command -v chromium >/dev/null || { echo "chromium could not be installed: the dashboard's browser test will fail" >&2; return 1; }
}
