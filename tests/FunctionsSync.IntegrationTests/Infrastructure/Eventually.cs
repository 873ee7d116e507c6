using System.Text.Json;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>Polls until a condition holds, failing the test with the last value seen when it does not in time.</summary>
public static class Eventually
{
    /// <param name="every">Between two reads (default 100 ms); shorter where a test acts on a state that passes quickly.</param>
    /// <param name="cancellationToken">Stops the wait (with <see cref="OperationCanceledException"/>) when what it waits for no longer matters.</param>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null, TimeSpan? every = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"condition not reached: {(value is JsonElement e ? e.ToString() : value?.ToString())}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
