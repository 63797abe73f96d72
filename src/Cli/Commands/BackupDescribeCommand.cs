using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Artifacts;

namespace Strata.Cli.Commands;

/// <summary><c>strata backup describe ID</c>: the run record and what the manifest says.</summary>
internal static class BackupDescribeCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var id = new Argument<string>("backup-id") { Description = "The backup's id (see 'strata backup list')." };
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("describe", "Show one backup: counts, artifacts, exclusions, GitOps, problems.") { id, output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var backupId = parsed.GetValue(id)!;
            var record = (await location.History.FindBackupAsync(backupId, ct))?.AsSeenAt(environment.Time.GetUtcNow());
            if (record is null)
            {
                await environment.Error.WriteLineAsync($"strata: no backup \"{backupId}\" in {location.HistoryWhere} (see 'strata backup list')");
                return ExitCodes.Failed;
            }

            // No manifest: an incomplete or failed backup, which the record says.
            var manifest = await ManifestFile.ReadAsync(location.Artifacts, record.Location, ct);

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(BackupJson.Describe(record, manifest, location));
                return ExitCodes.Succeeded;
            }

            BackupTables.Describe(environment, record, manifest, location);
            return ExitCodes.Succeeded;
        });
        return command;
    }
}
