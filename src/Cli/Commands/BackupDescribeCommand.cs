using System.CommandLine;
using Spectre.Console;
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
            var record = await location.History.FindBackupAsync(backupId, ct);
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

            var console = BackupTables.Console(environment);
            BackupTables.Header(console, record, location);
            if (manifest is null)
            {
                console.WriteLine("No manifest: this backup is incomplete and never counts as good.");
            }
            else
            {
                var counts = new Table().Border(TableBorder.Simple).AddColumn("RESOURCE").AddColumn(new TableColumn("OBJECTS").RightAligned());
                foreach (var (resource, count) in manifest.Counts.ByResource)
                {
                    counts.AddRow(Markup.Escape(resource), count.ToString("N0"));
                }

                console.Write(counts);
                var namespaces = new Table().Border(TableBorder.Simple).AddColumn("NAMESPACE").AddColumn(new TableColumn("OBJECTS").RightAligned());
                foreach (var (ns, count) in manifest.Counts.ByNamespace)
                {
                    namespaces.AddRow(Markup.Escape(ns), count.ToString("N0"));
                }

                console.Write(namespaces);
                BackupTables.Exclusions(console, manifest);
                if (manifest.GitOps.Objects.Count > 0)
                {
                    var gitops = new Table().Border(TableBorder.Simple).AddColumns("GITOPS", "APPLICATION", "OBJECT", "KEPT");
                    foreach (var o in manifest.GitOps.Objects)
                    {
                        gitops.AddRow(o.Manager.ToString(), Markup.Escape(o.Application), Markup.Escape(o.Path), o.Skipped ? "no" : "yes");
                    }

                    console.Write(gitops);
                }
            }

            BackupTables.Problems(console, record.Problems);
            return ExitCodes.Succeeded;
        });
        return command;
    }
}
