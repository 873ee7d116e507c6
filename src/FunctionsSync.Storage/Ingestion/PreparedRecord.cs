using FunctionsSync.Core.Records;

namespace FunctionsSync.Storage.Ingestion;

internal sealed record PreparedRecord(CanonicalRecord Record, string RowKey, string Hash, string Json);
