using Xunit;

namespace Strata.TestKit.Databases;

/// <summary>
/// A second PostgreSQL 15 beside a test class's own <see cref="PostgresServer"/> (an xunit class fixture): where a
/// database drill's <c>drill.server</c> restores, or a restore is moved to. It logs every DDL statement
/// (<c>log_statement=ddl</c>), so a test reads in <see cref="PostgresServer.LogAsync"/> what was created and dropped on it.
/// </summary>
public sealed class SecondPostgresServer : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public PostgresServer Server { get; } = new() { Settings = ["log_statement=ddl"] };

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}
