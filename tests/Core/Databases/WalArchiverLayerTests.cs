using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Commands;
using Strata.Core.Databases;
using Strata.Core.Freshness;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Databases;

/// <summary>The WAL archivers of database targets read on every backup, through the direct executor whose <c>psql</c> answers as the test says.</summary>
public sealed class WalArchiverLayerTests
{
    private static readonly DatabaseTarget Watched = new() { Name = "legacy", Namespace = "direct", Executor = DatabaseExecutor.Direct, Host = "pg.example.com", Databases = ["app"], Archiving = true };

    private static readonly DatabaseTarget Unwatched = Watched with { Name = "other", Archiving = false };

    private readonly ScriptedHostCommands _psql = new();

    private async Task<(LayerCapture Capture, LayerContext Context)> CaptureAsync()
    {
        var context = new LayerContext(new MemoryArtifactStore(), ArtifactLayout.BackupPrefix("prod", "nightly", "20261121-023000-a1b2c3"), new OperationResult(), TimeProvider.System);
        var layer = new WalArchiverLayer([Watched, Unwatched], new DatabaseConnector(null, null, _psql, UnwiredSecretValues.Instance), TimeSpan.FromHours(2));
        return (await layer.CaptureAsync(context), context);
    }

    [Fact]
    public async Task CaptureAsync_FailingArchiver_IsRecordedForTheManifest_AndWarned_AndCommitsNothing()
    {
        _psql.Answer = "on\t42\t00000001000000000000002A\t1795262400\t3\t00000001000000000000002B\t1795262460\t1795176000\t1795262520\n";

        var (capture, context) = await CaptureAsync();

        var status = Assert.Single(capture.WalArchiving);
        Assert.Equal(("direct", "legacy", WalArchivingState.Failing), (status.Namespace, status.Name, status.State));
        Assert.Equal("00000001000000000000002B", status.Reading.LastFailedWal);
        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, "wal-archiving", "legacy"), (warning.Severity, warning.Resource, warning.Name));
        Assert.Empty(capture.Artifacts);
        var query = Assert.Single(_psql.Commands);
        Assert.Contains(query.Command, a => a.Contains("host='pg.example.com'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaptureAsync_ServerUnreachable_IsAWarning_NotAMissingItem()
    {
        _psql.Exit = new CommandExit(2, "psql: error: connection to server at \"pg.example.com\" failed: Connection refused\n");

        var (capture, context) = await CaptureAsync();

        Assert.Empty(capture.WalArchiving);
        var warning = Assert.Single(context.Result.Problems);
        Assert.Equal((ProblemSeverity.Warning, ProblemReasons.DatabaseUnreachable), (warning.Severity, warning.Reason));
        Assert.Contains("Connection refused", warning.Message, StringComparison.Ordinal);
        Assert.False(context.Result.HasErrors);
    }
}
