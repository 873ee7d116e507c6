using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.DurableTask.Protobuf;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// A gRPC interceptor on the Durable worker's streams: every orchestrator work item carries the instance's history
/// (past and new events) as the worker replays it, or, when that history is large, the worker streams it in chunks
/// (<c>StreamInstanceHistory</c>); either way the largest history of each orchestration is exact, including
/// generations a ContinueAsNew dropped since.
/// </summary>
public sealed class HistoryMeter : Interceptor
{
    private readonly ConcurrentDictionary<string, int> largest = new(StringComparer.Ordinal);

    /// <summary>Histories too large for their work item, read from their own stream (and counted there).</summary>
    public int Streamed { get; private set; }

    /// <summary>The largest history seen per orchestration name (instance ids name the instance, not the kind).</summary>
    public IReadOnlyDictionary<string, int> LargestByOrchestration => largest;

    public int Largest => largest.Values.DefaultIfEmpty(0).Max();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(
            new Reader<TResponse>(call.ResponseStream, this, request is StreamInstanceHistoryRequest), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private void Record(IEnumerable<HistoryEvent> events, int length)
    {
        var name = events.FirstOrDefault(e => e.ExecutionStarted is not null)?.ExecutionStarted.Name ?? "?";
        largest.AddOrUpdate(name, length, (_, seen) => Math.Max(seen, length));
    }

    private sealed class Reader<T>(IAsyncStreamReader<T> inner, HistoryMeter meter, bool history) : IAsyncStreamReader<T>
    {
        private readonly List<HistoryEvent> streamed = [];

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var more = await inner.MoveNext(cancellationToken);
            switch (more ? inner.Current : default)
            {
                case WorkItem { OrchestratorRequest: { RequiresHistoryStreaming: false } orchestration }:
                    meter.Record(orchestration.PastEvents.Concat(orchestration.NewEvents), orchestration.PastEvents.Count + orchestration.NewEvents.Count);
                    break;
                case HistoryChunk chunk when history:
                    streamed.AddRange(chunk.Events);
                    break;
            }

            if (!more && history && streamed.Count > 0)
            {
                meter.Streamed++;
                meter.Record(streamed, streamed.Count);
            }

            return more;
        }
    }
}
