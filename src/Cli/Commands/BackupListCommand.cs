using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary><c>strata backup list</c>: the run history, newest first.</summary>
internal static class BackupListCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("list", "List backups, newest first.") { output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var records = new List<BackupRecord>();
            var now = environment.Time.GetUtcNow();
            await foreach (var record in location.History.ListBackupsAsync(ct))
            {
                records.Add(record.AsSeenAt(now));
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(BackupJson.List(records, location));
                return ExitCodes.Succeeded;
            }

            if (records.Count == 0)
            {
                await environment.Out.WriteLineAsync($"No backups in {location.HistoryWhere}.");
                return ExitCodes.Succeeded;
            }

            BackupTables.List(environment, records);
            return ExitCodes.Succeeded;
        });
        return command;
    }
}
