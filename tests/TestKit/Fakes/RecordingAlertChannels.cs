using System.Collections.Concurrent;
using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>Alert channels that record what each was sent; a channel can be made to fail (or throw) until it recovers.</summary>
public sealed class RecordingAlertChannels : IAlertChannels
{
    private readonly ConcurrentQueue<(string Channel, AlertNotification Notification)> _sent = new();
    private readonly ConcurrentDictionary<string, string> _failing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _throwing = new(StringComparer.Ordinal);

    /// <summary>Every delivery that succeeded, in order.</summary>
    public IReadOnlyList<(string Channel, AlertNotification Notification)> Sent => [.. _sent];

    /// <summary>Deliveries to <paramref name="channel"/> that succeeded.</summary>
    public IReadOnlyList<AlertNotification> To(string channel) => [.. _sent.Where(s => s.Channel == channel).Select(s => s.Notification)];

    /// <summary>Deliveries to <paramref name="channel"/> fail with <paramref name="answer"/> until <see cref="Recover"/>.</summary>
    public void Fail(string channel, string answer = "internal error") => _failing[channel] = answer;

    /// <summary>Deliveries to <paramref name="channel"/> throw (an adapter bug) until <see cref="Recover"/>.</summary>
    public void Throw(string channel) => _throwing[channel] = true;

    /// <summary>Deliveries to <paramref name="channel"/> succeed again.</summary>
    public void Recover(string channel)
    {
        _failing.TryRemove(channel, out _);
        _throwing.TryRemove(channel, out _);
    }

    public async Task<AlertDelivery> DeliverAsync(AlertChannelDefinition channel, AlertNotification notification, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (_throwing.ContainsKey(channel.Name))
        {
            throw new InvalidOperationException("https://hooks.example/secret-path must never be shown");
        }

        if (_failing.TryGetValue(channel.Name, out var answer))
        {
            return new AlertDelivery(false, 500, answer, 4);
        }

        _sent.Enqueue((channel.Name, notification));
        return new AlertDelivery(true, 200, "ok", 1);
    }
}
