using System.CommandLine;
using Azure.Core;
using Azure.Identity;
using Strata.Adapters.Alerts;
using Strata.Adapters.Secrets;
using Strata.Cli.Output;
using Strata.Core.Alerts;
using Strata.Core.Configuration;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata alert test --config strata.yaml --channel NAME</c>: sends a test alert to one channel through the same
/// code the dispatcher uses, and prints the service's answer (status and an excerpt; never the URL or a key). A PagerDuty
/// test is resolved right after, so that it does not stay open. Exit 0 delivered, 1 refused (or no answer), 2 bad input:
/// strata.yaml unreadable or invalid, no such channel, or a secret of the channel that cannot be read — nothing sent.
/// </summary>
internal static class AlertTestCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var config = CommonOptions.Config();
        var channel = new Option<string>("--channel") { Description = "The channel, by its name in alerts.channels.", Required = true };
        var output = CommonOptions.Output();
        var command = new Command("test", "Send a test alert to one channel and show the service's answer.") { config, channel, output };
        command.SetAction(async (parsed, ct) =>
        {
            if ((parsed.GetValue(config) ?? environment.Variable(ControlPlaneFactory.ConfigSetting)) is not { Length: > 0 } source)
            {
                return await environment.FailAsync($"no configuration: give --config strata.yaml, or set {ControlPlaneFactory.ConfigSetting}");
            }

            TokenCredential? credential = environment.AzureCredential;
            TokenCredential Credential() => credential ??= new DefaultAzureCredential();
            StrataConfiguration configuration;
            try
            {
                configuration = ConfigurationLoader.Parse(await ControlPlaneFactory.ReadAsync(source, Credential, ct), source, SystemTimeZones.Instance);
            }
            catch (ConfigurationException e)
            {
                return await environment.FailAsync(e.Message);
            }

            var name = parsed.GetValue(channel)!;
            if (configuration.Alerts.FindChannel(name) is not { } target)
            {
                return await environment.FailAsync(configuration.Alerts.Channels.Count == 0
                    ? $"{source} has no alert channels (alerts.channels)"
                    : $"no channel '{name}' in {source} (channels: {string.Join(", ", configuration.Alerts.Channels.Select(c => c.Name))})");
            }

            using var channels = new HttpAlertChannels(new SecretResolver(environment.Variable, Credential()), environment.Time, environment.AlertDelivery);
            var id = $"strata-test-{environment.Time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..40];
            var deliveries = new List<(AlertAction Action, AlertDelivery Delivery)>();
            var trigger = await channels.DeliverAsync(target, AlertNotification.ForTest(name, id, AlertAction.Trigger, configuration.Alerts.StatusPage, environment.Time.GetUtcNow()), ct);
            deliveries.Add((AlertAction.Trigger, trigger));
            if (trigger.Delivered && target.Type == AlertChannelType.PagerDuty)
            {
                // A test page must not stay open in PagerDuty: resolve it with the same dedup_key.
                deliveries.Add((AlertAction.Resolve, await channels.DeliverAsync(
                    target, AlertNotification.ForTest(name, id, AlertAction.Resolve, configuration.Alerts.StatusPage, environment.Time.GetUtcNow()), ct)));
            }

            await environment.Out.WriteLineAsync(AlertTestText.Result(target, deliveries, parsed.GetValue(output) == "json"));
            return trigger.Delivered ? ExitCodes.Succeeded
                : trigger.Attempts == 0 ? ExitCodes.Failed // nothing was sent: the channel's secret is missing or wrong
                : ExitCodes.Refused;
        });
        return command;
    }
}
