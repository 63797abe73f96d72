using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// A PostgreSQL 15 that archives its WAL (into nowhere: <c>archive_command=true</c>): an online backup needs an archive,
/// and Strata refuses one on a server without (the snapshots are then crash-consistent).
/// </summary>
public sealed class ArchivingPostgresServer : IAsyncLifetime
{
    public PostgresServer Server { get; } = new() { Settings = ["archive_mode=on", "archive_command=true"] };

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}
