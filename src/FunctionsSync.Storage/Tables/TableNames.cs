namespace FunctionsSync.Storage.Tables;

public static class TableNames
{
    public const string Connections = "connections";
    public const string SyncState = "syncstate";
    public const string Records = "records";
}
