using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary>The options that say where artifacts and run history live.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Where artifacts go: a folder (default $STRATA_HOME, or ~/.strata), https://ACCOUNT.blob.core.windows.net/CONTAINER "
            + "(Entra ID sign-in), or a storage connection string (better passed as $STRATA_STORE, to keep the key out of shell history).",
    };

    public Option<string?> Container { get; } = new("--store-container")
    {
        Description = $"Blob container when --store is a connection string (default: {StoreLocation.DefaultContainer}).",
    };

    public Option<string?> History { get; } = new("--history")
    {
        Description = "Where run history goes: a folder (default: the store folder's history/), https://ACCOUNT.table.core.windows.net[/TABLEPREFIX], "
            + "or a storage connection string (or $STRATA_HISTORY).",
    };

    public Option<string?> Checksum { get; } = new Option<string?>("--store-checksum")
    {
        Description = $"The checksum a Blob store's uploads carry, which the service checks before it stores the bytes: md5 (default) or crc64 (Azure accounts; Azurite does not speak it), or ${StoreLocation.ChecksumSetting}.",
    }.AcceptOnlyFromAmong("md5", "crc64");

    /// <summary>Every option here, for the commands that refuse them in some mode.</summary>
    public Option[] All => [Store, Container, History, Checksum];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    public StoreLocation Resolve(ParseResult parsed, CliEnvironment environment) =>
        StoreLocation.Resolve(parsed.GetValue(Store), parsed.GetValue(Container), parsed.GetValue(History), environment.Variable, environment.StrataHome, parsed.GetValue(Checksum));
}
