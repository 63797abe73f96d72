using Strata.Adapters.Local;
using Strata.Core.Ports;

namespace Strata.Cli;

/// <summary>
/// The local store: a folder holding <c>backups/…</c> (artifacts) and <c>history/</c> (run
/// records). <c>--store PATH</c> chooses it; the default is <c>$STRATA_HOME</c> (<c>~/.strata</c>).
/// </summary>
public sealed record StoreLocation(string Root)
{
    public static StoreLocation From(string? option, CliEnvironment environment) =>
        new(Path.GetFullPath(string.IsNullOrEmpty(option) ? environment.StrataHome : option));

    public IArtifactStore Artifacts() => new LocalFolderArtifactStore(Root);

    public IRunHistory History() => new LocalRunHistory(Path.Combine(Root, "history"));
}
