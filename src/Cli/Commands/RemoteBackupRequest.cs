using System.CommandLine;
using System.Text.Json.Nodes;
using Azure.Identity;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata backup create --remote</c>: asks the control plane for a backup by putting a
/// <c>BackupRequested</c> on its <c>strata-backups</c> queue through the Service Bus REST API, signed
/// in with Entra ID. The message id is the idempotency key (or a new one): sending the same key again
/// asks for the same backup, which runs once.
/// </summary>
internal sealed class RemoteBackupRequest
{
    /// <summary>The setting naming the namespace when <c>--service-bus</c> is not given.</summary>
    public const string NamespaceVariable = "STRATA_SERVICE_BUS";

    public Option<bool> Remote { get; } = new("--remote")
    {
        Description = "Ask the control plane to take the backup: put a BackupRequested on its Service Bus queue (Entra ID sign-in) instead of backing up from here.",
    };

    public Option<string?> Cluster { get; } = new("--cluster") { Description = "With --remote: the cluster, by its name in strata.yaml." };

    public Option<string> Policy { get; } = new("--policy")
    {
        Description = $"With --remote: the policy whose scope, retention and write-once days apply (default: {BackupWorker.AdHocPolicy}, the default scope).",
        DefaultValueFactory = _ => BackupWorker.AdHocPolicy,
    };

    public Option<string?> Reason { get; } = new("--reason") { Description = "With --remote: why, for people (e.g. 'before upgrade to 1.31')." };

    public Option<string?> ServiceBus { get; } = new("--service-bus")
    {
        Description = $"With --remote: the control plane's Service Bus namespace: NAME, NAME{ServiceBusNamespace.DefaultSuffix} or an https URL (default: ${NamespaceVariable}).",
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"With --remote: strata.yaml (a file or blob URL; default ${ControlPlaneFactory.ConfigSetting}), to refuse an unknown cluster or policy before sending.",
    };

    public Option<string?> IdempotencyKey { get; } = new("--idempotency-key")
    {
        Description = $"With --remote: the message id (1 to {MessageCodec.MaxIdLength} characters). The same key again asks for the same backup once.",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Remote, Cluster, Policy, Reason, ServiceBus, Config, IdempotencyKey })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options given explicitly that only apply with <c>--remote</c>, by name.</summary>
    public IEnumerable<string> RemoteOnlyGiven(ParseResult parsed) =>
        new Option[] { Cluster, Policy, Reason, ServiceBus, Config, IdempotencyKey }.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    public async Task<int> SendAsync(ParseResult parsed, IEnumerable<string> localOnlyGiven, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (localOnlyGiven.FirstOrDefault() is { } local)
        {
            return await environment.FailAsync($"{local} cannot be used with --remote: the control plane backs up with the policy's scope, into its own store");
        }

        if (parsed.GetValue(Cluster) is not { Length: > 0 } cluster)
        {
            return await environment.FailAsync("--remote needs --cluster NAME (a cluster in strata.yaml)");
        }

        Uri endpoint;
        try
        {
            endpoint = (parsed.GetValue(ServiceBus), environment.Variable(NamespaceVariable)) switch
            {
                ({ Length: > 0 } option, _) => ServiceBusNamespace.Parse(option, "--service-bus"),
                (_, { Length: > 0 } variable) => ServiceBusNamespace.Parse(variable, NamespaceVariable),
                _ => throw new FormatException($"--remote needs the control plane's Service Bus namespace: --service-bus NAME, or ${NamespaceVariable}"),
            };
        }
        catch (FormatException e)
        {
            return await environment.FailAsync(e.Message);
        }

        var now = environment.Time.GetUtcNow();
        var id = parsed.GetValue(IdempotencyKey) is { Length: > 0 } key ? key : $"cli-{Guid.NewGuid():N}";
        var user = environment.Variable("USER") is { Length: > 0 } name ? name : Environment.UserName;
        var draft = new Envelope(id, id, now, new BackupRequested(cluster, parsed.GetValue(Policy)!, null, parsed.GetValue(Reason), $"{user}@{Environment.MachineName} (strata backup create --remote)"));

        // The same strict check the worker applies, so a request it would reject is refused here.
        var checkedMessage = MessageCodec.Parse(MessageCodec.Serialize(draft));
        if (checkedMessage.Message is not { } envelope)
        {
            return await environment.FailAsync($"the request is not valid: {checkedMessage.Rejection}");
        }

        // One credential for reading strata.yaml and for sending: the sign-in chain is walked once.
        var credential = Credential(environment);
        if ((parsed.GetValue(Config) ?? environment.Variable(ControlPlaneFactory.ConfigSetting)) is { Length: > 0 } source)
        {
            try
            {
                var configuration = ConfigurationLoader.Parse(await ControlPlaneFactory.ReadAsync(source, credential, cancellationToken), source);
                if (BackupWorker.Refusal(configuration, (BackupRequested)envelope.Payload) is { } refusal)
                {
                    return await environment.FailAsync($"not sent: {refusal}");
                }
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }
        }

        var options = new ServiceBusClientOptions();
        if (environment.AzureTransport is { } transport)
        {
            options.Transport = transport;
        }

        await new ServiceBusSender(endpoint, credential(), options).SendAsync(Queues.Backups, envelope, cancellationToken);

        var request = (BackupRequested)envelope.Payload;
        var backupId = BackupWorker.BackupIdFor(envelope);
        if (json)
        {
            await environment.Out.WriteLineAsync(new JsonObject
            {
                ["messageId"] = envelope.Id,
                ["queue"] = Queues.Backups,
                ["namespace"] = endpoint.Host,
                ["cluster"] = request.Cluster,
                ["policy"] = request.Policy,
                ["backupId"] = backupId,
                ["envelope"] = MessageCodec.ToJson(envelope),
            }.ToJsonString(Output.BackupJson.Indented));
        }
        else
        {
            await environment.Out.WriteLineAsync(
                $"Requested a backup of {request.Cluster} (policy {request.Policy}): message {envelope.Id} is on {Queues.Backups} in {endpoint.Host}.");
            await environment.Out.WriteLineAsync(
                $"The control plane records it as backup {backupId}: 'strata backup describe {backupId}' with its history shows how it went.");
        }

        return ExitCodes.Succeeded;
    }

    private static Func<Azure.Core.TokenCredential> Credential(CliEnvironment environment)
    {
        Azure.Core.TokenCredential? credential = environment.AzureCredential;
        return () => credential ??= new DefaultAzureCredential();
    }
}
