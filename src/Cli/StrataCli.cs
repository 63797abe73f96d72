using System.CommandLine;
using Azure.Identity;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Cli.Commands;

namespace Strata.Cli;

/// <summary>The <c>strata</c> command line.</summary>
public static class StrataCli
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Strata: back up Kubernetes clusters — their API objects, volume snapshots, database dumps and etcd — into write-once storage; verify the backups, restore them, "
            + "run restore drills, and run the control plane that does it all on a schedule.");
        var backup = new Command("backup", "Create, verify, list and describe backups.");
        backup.Subcommands.Add(BackupCreateCommand.Build(environment));
        backup.Subcommands.Add(BackupListCommand.Build(environment));
        backup.Subcommands.Add(BackupDescribeCommand.Build(environment));
        backup.Subcommands.Add(BackupVerifyCommand.Build(environment));
        root.Subcommands.Add(backup);
        var restore = new Command("restore", "Restore backups into clusters, and review past restores.");
        restore.Subcommands.Add(RestoreCreateCommand.Build(environment));
        restore.Subcommands.Add(RestoreListCommand.Build(environment));
        restore.Subcommands.Add(RestoreDescribeCommand.Build(environment));
        root.Subcommands.Add(restore);
        root.Subcommands.Add(DrillCommand.Build(environment));
        root.Subcommands.Add(StatusCommand.Build(environment));
        root.Subcommands.Add(ServeCommand.Build(environment));
        root.Subcommands.Add(CoverageCommand.Build(environment));
        var alert = new Command("alert", "Work with alert channels.");
        alert.Subcommands.Add(AlertTestCommand.Build(environment));
        root.Subcommands.Add(alert);
        root.Subcommands.Add(DecryptCommand.Build(environment));
        var key = new Command("key", "Manage the keys that wrap backups' data keys.");
        key.Subcommands.Add(KeyRewrapCommand.Build(environment));
        root.Subcommands.Add(key);
        root.Subcommands.Add(RunCommand.Build(environment));
        root.Subcommands.Add(DemoCommand.Build(environment));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await environment.Error.WriteLineAsync($"strata: {error.Message}");
            }

            await environment.Error.WriteLineAsync("Run 'strata --help' for usage.");
            return ExitCodes.Failed;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is StoreConfigurationException or StorageRequestException or ServiceBusRequestException or AuthenticationFailedException && !cancellationToken.IsCancellationRequested)
        {
            // Where the store or history is, or the storage or Service Bus service, failed: one line, no stack trace, no secret.
            return await environment.FailAsync(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug: say what it was, with the trace, and fail as a failed run does.
            await environment.Error.WriteLineAsync($"strata: unexpected error: {e}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await environment.Error.WriteLineAsync("strata: cancelled");
            return ExitCodes.Failed;
        }
    }
}
