using FunctionsSync.Core.Connections;

namespace FunctionsSync.Core.Receipts;

/// <summary>Asks the connection's marketplace whether a receipt is genuine and which order it is.</summary>
public interface IReceiptValidator
{
    Task<ReceiptCheck> ValidateAsync(Connection connection, string receipt, CancellationToken cancellationToken);
}
