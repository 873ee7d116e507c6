using System.Text;
using Azure.Data.Tables;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>Reads every row of every table of a prefix, looking for what must not be stored in the clear.</summary>
public static class TableScan
{
    /// <summary>
    /// Every string property of every row of every table of the prefix: the findings naming a secret (or its base64),
    /// or, with <paramref name="column"/>, the values of that column.
    /// </summary>
    public static async Task<List<string>> FindAsync(AzuriteFixture storage, string prefix, IReadOnlyList<string> secrets, string? column = null)
    {
        var needles = secrets.Where(s => s.Length >= 6).SelectMany(s => new[]
        {
            s, Convert.ToBase64String(Encoding.UTF8.GetBytes(s)), Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('='),
        }).Distinct().ToList();
        var service = new TableServiceClient(storage.ConnectionString);
        var found = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "~") < 0))
        {
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (name, value) in row)
                {
                    var text = value switch { string s => s, byte[] b => Encoding.UTF8.GetString(b), _ => null };
                    if (text is null)
                    {
                        continue;
                    }

                    if (column is not null)
                    {
                        if (name == column)
                        {
                            found.Add(text);
                        }

                        continue;
                    }

                    found.AddRange(needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{table.Name} {row.PartitionKey}/{row.RowKey} {name}"));
                }
            }
        }

        return found;
    }
}
