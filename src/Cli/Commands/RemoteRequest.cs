using System.CommandLine;
using Azure.Core;
using Azure.Identity;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Cli.Commands;

/// <summary>
/// What <c>backup create --remote</c> and <c>restore create --remote</c> share: ask the control plane to do
/// the work by putting a request on its Service Bus queue (signed in with Entra ID). The message id is the
/// idempotency key (or a new one): the same key again asks for the same run, which happens once. The
/// request is checked as the worker will check it — and against strata.yaml when one is given — before
/// anything is sent.
/// </summary>
/// <param name="work">What the control plane is asked to do, for help and messages ("back up", "restore").</param>
/// <param name="config">The command's own <c>--config</c>, when it reads strata.yaml without --remote too; otherwise the request declares one that only goes with --remote.</param>
internal sealed class RemoteRequest(string work, Option<string?>? config = null)
{
    /// <summary>The setting naming the namespace when <c>--service-bus</c> is not given.</summary>
    public const string NamespaceVariable = "STRATA_SERVICE_BUS";

    private Option[] _remoteOnly = [];

    public Option<bool> Remote { get; } = new("--remote")
    {
        Description = $"Ask the control plane to {work}: put the request on its Service Bus queue (Entra ID sign-in) instead of doing it from here.",
    };

    public Option<string?> Reason { get; } = new("--reason") { Description = "With --remote: why, for people (e.g. 'before upgrade to 1.31', a ticket)." };

    public Option<string?> ServiceBus { get; } = new("--service-bus")
    {
        Description = $"With --remote: the control plane's Service Bus namespace: NAME, NAME{ServiceBusNamespace.DefaultSuffix} or an https URL (default: ${NamespaceVariable}).",
    };

    public Option<string?> Config { get; } = config ?? CommonOptions.Config("with --remote, to refuse what the control plane would refuse before sending.");

    public Option<string?> IdempotencyKey { get; } = new("--idempotency-key")
    {
        Description = $"With --remote: the message id (1 to {MessageCodec.MaxIdLength} characters). The same key again asks for the same run, once.",
    };

    /// <summary>Adds <c>--remote</c>, the shared options and <paramref name="remoteOnly"/> (the command's own options that only apply with it).</summary>
    public void AddTo(Command command, params Option[] remoteOnly)
    {
        // The command's own --config is added, and allowed without --remote, by the command.
        _remoteOnly = config is null ? [Reason, ServiceBus, Config, IdempotencyKey, .. remoteOnly] : [Reason, ServiceBus, IdempotencyKey, .. remoteOnly];
        command.Options.Add(Remote);
        foreach (var option in _remoteOnly)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Refuses the options that do not fit the mode: <paramref name="localOnly"/> with --remote, the remote-only
    /// ones without it (<paramref name="localHint"/> says how to do it locally). The message, or null when fine.
    /// </summary>
    public string? Misuse(ParseResult parsed, IEnumerable<Option> localOnly, string localHint)
    {
        static string? FirstGiven(ParseResult parsed, IEnumerable<Option> options) =>
            options.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false })?.Name;

        return parsed.GetValue(Remote)
            ? FirstGiven(parsed, localOnly) is { } local ? $"{local} cannot be used with --remote: the control plane works from strata.yaml, into its own store" : null
            : FirstGiven(parsed, _remoteOnly) is { } remote ? $"{remote} only applies with --remote ({localHint})" : null;
    }

    /// <summary>Sends <paramref name="payload"/>; prints the message id and the run it becomes (<paramref name="runIdFor"/>).</summary>
    public async Task<int> SendAsync<T>(T payload, Func<Envelope, string> runIdFor, ParseResult parsed, bool json, CliEnvironment environment, CancellationToken cancellationToken)
        where T : MessagePayload
    {
        string fullyQualifiedNamespace;
        try
        {
            fullyQualifiedNamespace = (parsed.GetValue(ServiceBus), environment.Variable(NamespaceVariable)) switch
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

        var id = parsed.GetValue(IdempotencyKey) is { Length: > 0 } key ? key : MessageIds.New("cli");
        var now = environment.Time.GetUtcNow();
        var (envelope, invalid) = Requests.Create(payload, id, now, configuration: null);
        if (envelope is null)
        {
            return await environment.FailAsync($"the request is not valid: {invalid}");
        }

        // One credential for reading strata.yaml and for sending: the sign-in chain is walked once.
        TokenCredential? credential = environment.AzureCredential;
        TokenCredential Credential() => credential ??= new DefaultAzureCredential();
        if ((parsed.GetValue(Config) ?? environment.Variable(ControlPlaneFactory.ConfigSetting)) is { Length: > 0 } source)
        {
            try
            {
                var configuration = ConfigurationLoader.Parse(await ControlPlaneFactory.ReadAsync(source, Credential, cancellationToken), source, SystemTimeZones.Instance);
                if (Requests.Create(payload, id, now, configuration).Error is { } refusal)
                {
                    return await environment.FailAsync($"not sent: {refusal}");
                }
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }
        }

        await using (var client = environment.ServiceBusClients(fullyQualifiedNamespace, Credential()))
        await using (var sender = new EnvelopeSender(client))
        {
            await sender.SendAsync(envelope, cancellationToken);
        }

        await environment.Out.WriteLineAsync(RemoteRequestText.Sent(envelope, fullyQualifiedNamespace, runIdFor(envelope), json));
        return ExitCodes.Succeeded;
    }

    /// <summary>Who is asking, for the run record: <c>user@host (strata COMMAND --remote)</c>.</summary>
    public static string RequestedBy(CliEnvironment environment, string command) =>
        $"{(environment.Variable("USER") is { Length: > 0 } name ? name : Environment.UserName)}@{Environment.MachineName} (strata {command})";
}
