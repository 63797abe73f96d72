using Strata.Adapters.Kubernetes;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.Drills;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary>Runs one drill of a verified backup directly (the demo, which has no strata.yaml), with progress, and prints it.</summary>
internal static class DrillExecution
{
    public static async Task<DrillRecord> RunAsync(
        KubernetesClient client, BackupRecord backup, string target, DrillSettings settings, StoreLocation location, OutputMode output,
        CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var progress = Progress.ForDrill(environment);
        var run = new DrillRun(client, location.Artifacts, location.History, environment.Time,
            new DrillOptions { PollInterval = TimeSpan.FromMilliseconds(250), Restore = new RestoreOptions { Scratch = RestoreExecution.ScratchFile, Keyring = DemoKeys.Keyring } });
        var drill = await run.RunAsync(new DrillRequest
        {
            DrillId = BackupId.New(environment.Time.GetUtcNow(), RandomIdSource.Instance),
            Backup = backup,
            Target = target,
            Settings = settings,
            RequestedBy = "strata demo",
        }, progress, cancellationToken);
        progress.Finish();
        if (output == OutputMode.Json)
        {
            await environment.Out.WriteLineAsync(DrillJson.Record(drill).ToJsonString(BackupJson.Indented));
        }
        else if (output == OutputMode.Table)
        {
            DrillTables.Summary(environment, drill);
        }

        return drill;
    }
}
