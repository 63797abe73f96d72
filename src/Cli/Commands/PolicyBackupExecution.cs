using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata backup create --config strata.yaml --policy P --cluster C</c>: one backup of a policy,
/// here, through the control plane's own functions — the backup worker (every layer the policy
/// names), then the verify worker, then the alert dispatcher — and the run printed with its
/// verification state.
/// </summary>
internal static class PolicyBackupExecution
{
    public static async Task<int> RunAsync(
        string? configuration, string policy, string cluster, StoreLocation location, OutputMode output, CliEnvironment environment, CancellationToken cancellationToken)
    {
        using var progress = Progress.ForBackup(environment);
        (ControlPlaneContext Context, IDisposable Resources) handle;
        try
        {
            handle = await ControlPlaneFactory.CreateAsync(configuration, location, environment.Variable, environment.Time,
                new ControlPlaneOptions { BackupProgress = progress }, cancellationToken: cancellationToken);
        }
        catch (ConfigurationException e)
        {
            return await environment.FailAsync(e.Message);
        }

        using (handle.Resources)
        {
            var context = handle.Context;
            var request = new BackupRequested(cluster, policy, RequestedBy: RemoteRequest.RequestedBy(environment, "backup create --policy"));
            var (envelope, refusal) = Requests.Create(request, MessageIds.New("cli"), environment.Time.GetUtcNow(), context.Configuration);
            if (envelope is null)
            {
                return await environment.FailAsync(refusal!);
            }

            await InlinePipeline.RunAsync(context, envelope, line => environment.Error.WriteLine(line), cancellationToken);
            var record = await context.History.FindBackupAsync(BackupWorker.BackupIdFor(envelope), cancellationToken)
                ?? throw new InvalidOperationException($"the backup worker left no record of {BackupWorker.BackupIdFor(envelope)}");
            if (output == OutputMode.Json)
            {
                await environment.Out.WriteLineAsync(BackupJson.One(record, location));
            }
            else
            {
                var console = BackupTables.Console(environment);
                BackupTables.Header(console, record, location);
                if (record.IsCommitted && await Core.Artifacts.ManifestFile.ReadAsync(location.Artifacts, record.Location, cancellationToken) is { } manifest)
                {
                    LayerTables.Write(console, manifest);
                    Spectre.Console.AnsiConsoleExtensions.WriteLine(console, Spectre.Console.Markup.Escape($"Encryption: {SignatureText.Encryption(manifest)}"));
                }

                BackupTables.Problems(console, record.Problems);
                BackupTables.Verification(console, record);
            }

            return ExitCodes.For(record.Status);
        }
    }
}
