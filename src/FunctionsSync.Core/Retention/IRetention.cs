namespace FunctionsSync.Core.Retention;

/// <summary>Deletes history beyond <see cref="RetentionOptions"/>, a bounded batch per pass (both hosts run it on a timer).</summary>
public interface IRetention
{
    Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken);
}
