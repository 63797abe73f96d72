using Strata.Core.Commands;

namespace Strata.Core.Databases;

/// <summary>
/// Where a database target's client tools run — the seam between what to run (<see cref="PostgresTools"/>) and where:
/// in the database's pod through the Kubernetes exec API (<see cref="PodToolExecutor"/>), or on the runner's host
/// (<see cref="HostToolExecutor"/>).
/// </summary>
public interface IToolExecutor
{
    /// <summary>For messages: <c>pod shop/postgres-0 (container postgres)</c>, <c>this host</c>.</summary>
    string Where { get; }

    /// <summary>Runs <paramref name="command"/>; a program that is not installed ends with exit code 127.</summary>
    Task<CommandExit> RunAsync(DatabaseCommand command, CommandStreams streams, CancellationToken cancellationToken = default);
}
