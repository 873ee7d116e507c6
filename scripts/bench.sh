#!/usr/bin/env bash
# Benchmark: builds in Release, starts Azurite (in memory, free ports); the bench starts the simulator itself.
# Prints one JSON line per figure: {"name", "value", "reference", "target"}.
#   scripts/bench.sh [--only ingest_ratio|sync_size_scaling|notified_freshness_p95_s|rate_limit_utilization|graphql_cost_utilization|amazon_full_sync_speedup|full_sync_300k_peak_rss_mb|medipim_300k_peak_rss_mb|api_10k_latency_ratio|schedule_10k_ratio|plan_history_ratio|durable_sync_ratio|durable_cycle_scaling|cycle_throughput_ratio]
#   (schedule_10k_ratio and plan_history_ratio come from one 10,000-connection set-up and print together, as do
#   full_sync_300k_peak_rss_mb, shopify_bulk_300k_peak_rss_mb and medipim_300k_peak_rss_mb;
#   durable_sync_ratio runs the Functions orchestrations on the Azure Storage provider; durable_cycle_scaling and
#   cycle_throughput_ratio come from one run: the Durable cycles of 1,000 and 4,000 stores, then 4,000 self-hosted)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/azurite.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ensure_azurite
echo "== building (Release)" >&2
dotnet build bench/FunctionsSync.Bench -c Release -nologo -v quiet >&2

LOG="$(mktemp)"
start_azurite "$LOG" >&2
trap 'stop_pids "$AZURITE_PID"; rm -f "$LOG"' EXIT

# The pid lets the cycle figures split their CPU time between the bench process and Azurite.
FUNCTIONSSYNC_BENCH_AZURITE_PID="$AZURITE_PID" dotnet bench/FunctionsSync.Bench/bin/Release/net10.0/FunctionsSync.Bench.dll --storage "$AZURITE_CONNECTION_STRING" "$@"
