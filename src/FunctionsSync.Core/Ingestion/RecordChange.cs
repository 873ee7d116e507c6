namespace FunctionsSync.Core.Ingestion;

public enum RecordChange
{
    Created,
    Updated,
    Unchanged,
}
