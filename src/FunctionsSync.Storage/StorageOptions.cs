using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Storage;

/// <summary>Bound from configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> for Azurite on its default ports.</summary>
    [Required]
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prepended to every table and queue name, so several deployments (or test classes) share one account.</summary>
    [RegularExpression("^([a-z][a-z0-9]{0,19})?$", ErrorMessage = "TablePrefix must be lowercase letters and digits, starting with a letter, at most 20 characters.")]
    public string TablePrefix { get; set; } = "";
}
