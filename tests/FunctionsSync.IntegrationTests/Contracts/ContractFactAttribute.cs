namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>A test of an adapter or the simulator against a vendor's contract: skipped, with the reason, where the contracts are absent.</summary>
public sealed class ContractFactAttribute : FactAttribute
{
    public ContractFactAttribute()
    {
        if (ContractFiles.Folder is null)
        {
            Skip = ContractFiles.SkipReason;
        }
    }
}
