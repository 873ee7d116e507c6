using System.Collections.Concurrent;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.Simulator.Data;

/// <summary>Everything the simulator knows: stores, faults, whether rate limits apply, and a log of recent requests.</summary>
public sealed class SimulatorState(TimeProvider time)
{
    private const int RequestLogSize = 50_000;

    private readonly ConcurrentDictionary<(string Marketplace, string StoreId), SimStore> stores = new();
    private readonly ConcurrentQueue<SimRequest> requests = new();
    private readonly ConcurrentDictionary<string, int> validations = new(StringComparer.Ordinal);
    private readonly Lock faultGate = new();
    private long diceRolls;
    private int malformedLeft;
    private int cutLeft;
    private int shortPagesLeft;
    private int cutReportsLeft;
    private SimFaults faults = new();

    public TimeProvider Time { get; } = time;

    /// <summary>Sends the stores' change notifications to their subscriptions.</summary>
    public Webhooks.SimNotifier Notifier => notifier ??= new Webhooks.SimNotifier(this);

    private Webhooks.SimNotifier? notifier;

    /// <summary>A roll of the fault dice (0..1), in the seeded sequence.</summary>
    public double Roll()
    {
        lock (faultGate)
        {
            return SimRandom.For(faults.Seed, ++diceRolls).Double();
        }
    }

    public bool RateLimitsEnabled { get; set; } = true;

    /// <summary>
    /// Called as a data request arrives, before its answer is computed (store id, path and query): lets a test change
    /// the store between two pages of a walk, exactly.
    /// </summary>
    public Action<string, string>? BeforeServing { get; set; }

    /// <summary>
    /// Called once a refresh grant has been spent and its new tokens made, before the answer is sent (store id): lets a
    /// test cut the caller off from its storage at the instant the marketplace has answered.
    /// </summary>
    public Action<string>? AfterTokenIssued { get; set; }

    public SimFaults Faults
    {
        get { lock (faultGate) { return faults; } }
        set { lock (faultGate) { faults = value; malformedLeft = value.MalformedResponses; cutLeft = value.CutDownloadAtBytes > 0 ? 1 : 0; shortPagesLeft = value.ShortListPages; cutReportsLeft = value.CutReportDocuments; } }
    }

    /// <param name="clock">The clock the store's tokens expire on, when not the simulator's (a test's fake clock, shared with the host it serves).</param>
    public SimStore PutStore(string marketplace, string storeId, SimStoreConfig config, TimeProvider? clock = null)
    {
        var store = new SimStore(marketplace, storeId, config, clock ?? Time) { Changed = Notifier.Changed };
        stores[(marketplace, storeId)] = store;
        return store;
    }

    public SimStore? GetStore(string marketplace, string storeId) => stores.GetValueOrDefault((marketplace, storeId));

    public IReadOnlyList<SimStore> Stores => [.. stores.Values];

    /// <summary>Rolls the fault dice for one data request.</summary>
    public FaultDecision RollFault(out bool slow)
    {
        lock (faultGate)
        {
            var roll = SimRandom.For(faults.Seed, ++diceRolls);
            slow = roll.Next(1).Double() < faults.SlowShare;
            var x = roll.Double();
            return x < faults.RateLimitShare ? FaultDecision.RateLimited
                : x < faults.RateLimitShare + faults.ServerErrorShare ? FaultDecision.ServerError
                : FaultDecision.None;
        }
    }

    /// <summary>Whether this successful response should be cut off (consumes one of the configured count).</summary>
    public bool TakeMalformed()
    {
        lock (faultGate)
        {
            if (malformedLeft <= 0)
            {
                return false;
            }

            malformedLeft--;
            return true;
        }
    }

    /// <summary>Whether this list page leaves a record out (consumes one of <see cref="SimFaults.ShortListPages"/>).</summary>
    public bool TakeShortPage() => Take(ref shortPagesLeft);

    /// <summary>Whether this report document ends early (consumes one of <see cref="SimFaults.CutReportDocuments"/>).</summary>
    public bool TakeReportCut() => Take(ref cutReportsLeft);

    private bool Take(ref int left)
    {
        lock (faultGate)
        {
            if (left <= 0)
            {
                return false;
            }

            left--;
            return true;
        }
    }

    /// <summary>Where to cut this download off (once per setting of the fault), or null.</summary>
    public long? TakeDownloadCut()
    {
        lock (faultGate)
        {
            if (cutLeft <= 0)
            {
                return null;
            }

            cutLeft--;
            return faults.CutDownloadAtBytes;
        }
    }

    public void Record(SimRequest request)
    {
        requests.Enqueue(request);
        while (requests.Count > RequestLogSize && requests.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<SimRequest> Requests => [.. requests];

    public void ClearRequests() => requests.Clear();

    /// <summary>How often each receipt was validated (tests check that stored outcomes are not asked again).</summary>
    public IReadOnlyDictionary<string, int> Validations => validations;

    public void CountValidation(string receipt) => validations.AddOrUpdate(receipt, 1, (_, n) => n + 1);
}
