using System.CommandLine;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Backup;
using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata demo</c>: no cluster needed. Starts the in-process sandbox API server with a sample
/// application and backs it up into the local store, exactly as <c>backup create</c> would.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = CommonOptions.Store();
        var output = CommonOptions.Output();
        var command = new Command("demo", "Back up a sample application running on a sandbox API server (no cluster needed).") { store, output };
        command.SetAction(async (parsed, ct) =>
        {
            var json = parsed.GetValue(output) == "json";
            await environment.Error.WriteLineAsync(
                "strata demo: starting a SANDBOX Kubernetes API server in this process (not a real cluster) with a sample application...");
            await using var sandbox = await SandboxApiServer.StartAsync(new SandboxOptions { Time = environment.Time }, ct);
            SampleApplication.Seed(sandbox);
            var connection = Kubeconfig.Parse(sandbox.Kubeconfig("sandbox"), "sandbox kubeconfig").Resolve(null, environment.Time);
            using var client = new KubernetesClient(connection, time: environment.Time);
            await environment.Error.WriteLineAsync($"strata demo: sandbox API server at {sandbox.Url} — backing it up...");
            var location = StoreLocation.From(parsed.GetValue(store), environment);
            var code = await BackupExecution.RunAsync(client, "sandbox", new BackupScope(), location, json, environment, ct);
            await environment.Error.WriteLineAsync(
                $"strata demo: done. That was a sandbox, not a real cluster. 'strata backup list --store {location.Root}' shows the backup; "
                + "with a kubeconfig, 'strata backup create --context NAME' does the same against a real cluster.");
            return code;
        });
        return command;
    }
}
