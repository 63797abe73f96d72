using Spectre.Console;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;

namespace Strata.Cli.Output;

/// <summary>The human-readable outputs of <c>strata decrypt</c> and <c>strata key rewrap</c>.</summary>
internal static class EncryptionTables
{
    /// <summary>A decrypted backup: where it went, what it holds, how it was trusted, and how to apply it.</summary>
    public static void Decrypted(CliEnvironment environment, string backupId, string folder, PlaintextExportSummary summary, BackupManifest manifest, string signature)
    {
        var console = BackupTables.Console(environment);
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Backup", Markup.Escape(backupId));
        grid.AddRow("Written to", Markup.Escape(folder));
        grid.AddRow("Files", Markup.Escape($"{summary.Files:N0} ({Bytes.Format(summary.Bytes)})"));
        grid.AddRow("Encryption", Markup.Escape(SignatureText.Encryption(manifest)));
        grid.AddRow("Secrets", Markup.Escape($"{summary.SecretsDecrypted:N0} decrypted"));
        grid.AddRow("Signature", Markup.Escape(signature));
        console.Write(grid);
        console.WriteLine($"Apply the objects with: kubectl apply -R -f {Markup.Escape(Path.Combine(folder, "resources"))}");
    }

    /// <summary>A rewrapped data key: the sidecar written, then every key that can now unwrap it.</summary>
    public static void Rewrapped(CliEnvironment environment, string backupId, WrappedKey wrapped, string keyName, string sidecarWhere, IEnumerable<WrappedKey> all)
    {
        var console = BackupTables.Console(environment);
        console.WriteLine(Markup.Escape($"Backup {backupId}: data key wrapped with {wrapped.KeyId} ({keyName}), written to {sidecarWhere}"));
        var table = new Table().Border(TableBorder.Simple).AddColumns("KEY ID", "NAME", "ALGORITHM");
        foreach (var w in all)
        {
            table.AddRow(Markup.Escape(w.KeyId), Markup.Escape(w.Name ?? "-"), Markup.Escape(w.Algorithm));
        }

        console.WriteLine("Keys that can now unwrap it:");
        console.Write(table);
    }
}
