using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary><c>strata restore list</c>: restores, newest first.</summary>
internal static class RestoreListCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("list", "List restores, newest first.") { output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var records = new List<RestoreRecord>();
            await foreach (var record in location.History.ListRestoresAsync(ct))
            {
                records.Add(record);
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(RestoreJson.List(records));
                return ExitCodes.Succeeded;
            }

            if (records.Count == 0)
            {
                await environment.Out.WriteLineAsync($"No restores in {location.HistoryWhere}.");
                return ExitCodes.Succeeded;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("ID").NoWrap())
                .AddColumn(new TableColumn("BACKUP").NoWrap())
                .AddColumns("TARGET", "STATUS", "DRY RUN")
                .AddColumn(new TableColumn("CREATED").RightAligned())
                .AddColumn(new TableColumn("UPDATED").RightAligned())
                .AddColumn(new TableColumn("SKIPPED").RightAligned())
                .AddColumn(new TableColumn("FAILED").RightAligned())
                .AddColumn(new TableColumn("STARTED").NoWrap())
                .AddColumn("DURATION");
            foreach (var r in records)
            {
                table.AddRow(
                    Markup.Escape(r.Id), Markup.Escape(r.BackupId), Markup.Escape(r.TargetCluster), r.Status.ToString(), r.DryRun ? "yes" : "no",
                    RestoreTables.Count(r, "created"), RestoreTables.Count(r, "updated"),
                    (r.Counts.GetValueOrDefault("skippedExisting") + r.Counts.GetValueOrDefault("skippedRecreated")).ToString("N0"),
                    (r.Counts.GetValueOrDefault("failed") + r.Counts.GetValueOrDefault("skippedUnsupported")).ToString("N0"),
                    r.StartedAt.ToString("u"),
                    r.CompletedAt is { } c ? $"{(c - r.StartedAt).TotalSeconds:0.0} s" : "-");
            }

            BackupTables.Console(environment).Write(table);
            return ExitCodes.Succeeded;
        });
        return command;
    }
}
