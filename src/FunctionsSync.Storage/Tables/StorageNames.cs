namespace FunctionsSync.Storage.Tables;

/// <summary>The one rule every host uses to name tables and queues: <c>Storage:TablePrefix</c> + the logical name.</summary>
public static class StorageNames
{
    public static string Full(string prefix, string logicalName) => prefix + logicalName;
}
