using Spectre.Console;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Results;
using Strata.Core.Runs;

namespace Strata.Cli.Output;

/// <summary>The human-readable outputs.</summary>
internal static class BackupTables
{
    public static IAnsiConsole Console(CliEnvironment environment)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 140;
        return console;
    }

    /// <summary><c>backup describe</c>: the record, what the manifest says (counts, exclusions, GitOps) and the problems.</summary>
    public static void Describe(CliEnvironment environment, BackupRecord record, BackupManifest? manifest, StoreLocation location)
    {
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
            console.WriteLine(Markup.Escape($"Encryption: {SignatureText.Encryption(manifest)}"));
            LayerTables.Write(console, manifest);
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

        Problems(console, record.Problems);
        Verification(console, record);
    }

    /// <summary><c>backup list</c>: one row per run, newest first.</summary>
    public static void List(CliEnvironment environment, IReadOnlyList<BackupRecord> records)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("ID", "CLUSTER", "POLICY", "STATUS")
            .AddColumn(new TableColumn("OBJECTS").RightAligned())
            .AddColumns("STARTED", "DURATION", "PROBLEMS");
        foreach (var r in records)
        {
            table.AddRow(
                Markup.Escape(r.Id), Markup.Escape(r.Cluster), Markup.Escape(r.Policy), r.Status.ToString(),
                r.ObjectCount.ToString("N0"), r.StartedAt.ToString("u"),
                r.CompletedAt is { } c ? $"{(c - r.StartedAt).TotalSeconds:0.0} s" : "-",
                r.Problems.Count.ToString());
        }

        Console(environment).Write(table);
    }

    public static void Summary(CliEnvironment environment, BackupOutcome outcome, StoreLocation location)
    {
        var console = Console(environment);
        var record = outcome.Record;
        Header(console, record, location);
        if (record.CountsByResource.Count > 0)
        {
            var counts = new Table().Border(TableBorder.Simple).AddColumn("RESOURCE").AddColumn(new TableColumn("OBJECTS").RightAligned());
            foreach (var (resource, count) in record.CountsByResource.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
            {
                counts.AddRow(Markup.Escape(resource), count.ToString("N0"));
            }

            console.Write(counts);
        }

        if (outcome.Manifest is { } manifest)
        {
            Exclusions(console, manifest);
            console.WriteLine(Markup.Escape($"Encryption: {SignatureText.Encryption(manifest)}"));
        }

        Problems(console, record.Problems);
        Verification(console, record);
    }

    /// <summary>What verification found: one line when all is well, else every finding with where, expected and found.</summary>
    public static void Verification(IAnsiConsole console, BackupRecord record)
    {
        if (record.Verification is not { } report)
        {
            return;
        }

        var warnings = report.Warnings.Count();
        var headline = !report.Passed ? "Verification FAILED"
            : report.Proves ? "Verified"
            : record.Status == BackupStatus.Verified ? $"Verified earlier; {Unchecked(report)} this time"
            : $"Not verified: {Unchecked(report)} (pass --config)";
        console.WriteLine(Markup.Escape(
            headline + $": {report.Artifacts.Count} artifact(s) read back from the store in {(report.CompletedAt - report.StartedAt).TotalSeconds:0.0} s"
            + (report.Counts is { } counts ? $", {counts.Total:N0} objects" : "")
            + $"; {report.ErrorCount} error(s), {warnings} warning(s)"
            + (report.BaselineBackupId is { } baseline ? $"; compared with {baseline}" : "; no earlier verified backup to compare with")));
        if (SignatureText.Of(report.Signature) is { } signature)
        {
            console.WriteLine(Markup.Escape($"Signature: {signature}"));
        }

        if (report.Findings.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("SEVERITY", "CHECK", "ARTIFACT", "ENTRY", "PROBLEM", "EXPECTED", "FOUND");
        foreach (var f in report.Findings)
        {
            table.AddRow(f.Severity.ToString(), f.Check, Markup.Escape(f.Artifact ?? "-"), Markup.Escape(f.Entry ?? "-"), Markup.Escape(f.Message),
                Markup.Escape(f.Expected ?? "-"), Markup.Escape(f.Found ?? "-"));
        }

        console.Write(table);
        if (report.OmittedFindings > 0)
        {
            console.WriteLine($"… and {report.OmittedFindings} more.");
        }
    }

    /// <summary>"2 volume snapshots were not checked": what a report that cannot prove the snapshots left out.</summary>
    public static string Unchecked(Core.Verification.VerificationReport report) =>
        report.UncheckedSnapshots == 1 ? "1 volume snapshot was not checked" : $"{report.UncheckedSnapshots} volume snapshots were not checked";

    public static void Header(IAnsiConsole console, BackupRecord record, StoreLocation location)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Backup", Markup.Escape(record.Id));
        grid.AddRow("Status", Markup.Escape(record.Status.ToString()));
        grid.AddRow("Cluster", Markup.Escape($"{record.Cluster} ({record.ServerVersion ?? "version unknown"})"));
        grid.AddRow("Started", record.StartedAt.ToString("u"));
        if (record.CompletedAt is { } completed)
        {
            grid.AddRow("Duration", $"{(completed - record.StartedAt).TotalSeconds:0.0} s");
        }

        if (record.RequestedBy is { } requestedBy)
        {
            grid.AddRow("Requested by", Markup.Escape(requestedBy));
        }

        grid.AddRow("Objects", record.ObjectCount.ToString("N0"));
        foreach (var artifact in record.Artifacts)
        {
            grid.AddRow("Artifact", Markup.Escape($"{artifact.Path}  {Bytes.Format(artifact.Size)}  sha256:{artifact.Sha256}"));
        }

        grid.AddRow("Stored in", Markup.Escape(location.Where(record.Location)));
        if (record.Error is { } error)
        {
            grid.AddRow("Error", Markup.Escape(error));
        }

        console.Write(grid);
        console.WriteLine();
    }

    public static void Exclusions(IAnsiConsole console, BackupManifest manifest)
    {
        if (manifest.ExcludedObjects.Count > 0 || manifest.GitOps.Managed + manifest.GitOps.Skipped > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn("LEFT OUT / CLASSIFIED").AddColumn(new TableColumn("OBJECTS").RightAligned());
            foreach (var (reason, count) in manifest.ExcludedObjects)
            {
                table.AddRow(Markup.Escape(reason), count.ToString("N0"));
            }

            if (manifest.GitOps.Managed > 0)
            {
                table.AddRow("kept, managed by GitOps (" + Markup.Escape(string.Join(", ", manifest.GitOps.ByManager.Select(m => $"{m.Key}: {m.Value}"))) + ")", manifest.GitOps.Managed.ToString("N0"));
            }

            console.Write(table);
        }
    }

    public static void Problems(IAnsiConsole console, IReadOnlyList<Problem> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("SEVERITY").AddColumn("WHERE").AddColumn("PROBLEM");
        foreach (var p in problems)
        {
            table.AddRow(p.Severity.ToString(), Markup.Escape(p.Location), Markup.Escape(p.Message));
        }

        console.Write(table);
    }
}
