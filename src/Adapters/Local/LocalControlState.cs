using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Core.Coverage;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Adapters.Local;

/// <summary>
/// The control state in the local history folder, under <c>control/</c>: <c>leases.json</c>,
/// <c>schedule.json</c>, one file per rejected message, per incident, per alert channel's health and per cluster's latest coverage survey. Read-modify-write
/// operations hold an exclusive lock file, so several processes on one machine agree too.
/// </summary>
public sealed class LocalControlState(string root) : IControlState
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetFullPath(root), "control");

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string key, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var leases = await ReadAsync(LocalStateJson.Default.DictionaryStringLocalLease, "leases.json", cancellationToken) ?? [];
        LeaseResult result;
        if (leases.TryGetValue(key, out var current) && current.ExpiresAt > now && current.Holder != holder)
        {
            return new LeaseResult(false, current.Holder, current.ExpiresAt);
        }

        var renewed = current is not null && current.ExpiresAt > now && current.Holder == holder;
        result = new LeaseResult(true, holder, now + duration, renewed, current is not null && !renewed ? current.Holder : null);
        leases[key] = new LocalLease(holder, result.ExpiresAt);
        await WriteAsync(LocalStateJson.Default.DictionaryStringLocalLease, "leases.json", leases, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var leases = await ReadAsync(LocalStateJson.Default.DictionaryStringLocalLease, "leases.json", cancellationToken) ?? [];
        if (leases.TryGetValue(key, out var current) && current.Holder == holder)
        {
            leases.Remove(key);
            await WriteAsync(LocalStateJson.Default.DictionaryStringLocalLease, "leases.json", leases, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetScheduleMarksAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(LocalStateJson.Default.DictionaryStringDateTimeOffset, "schedule.json", cancellationToken) ?? [];

    /// <inheritdoc />
    public async Task SaveScheduleMarksAsync(IReadOnlyDictionary<string, DateTimeOffset> marks, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var all = await ReadAsync(LocalStateJson.Default.DictionaryStringDateTimeOffset, "schedule.json", cancellationToken) ?? [];
        foreach (var (policy, mark) in marks)
        {
            all[policy] = all.TryGetValue(policy, out var existing) && existing > mark ? existing : mark;
        }

        await WriteAsync(LocalStateJson.Default.DictionaryStringDateTimeOffset, "schedule.json", all, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RecordRejectedAsync(RejectedMessage message, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var name = Path.Combine("rejected", $"{message.ReceivedAt.UtcDateTime:yyyyMMddHHmmss}-{FileName(message.Key)}.json");
        if (Directory.Exists(Path.Combine(_folder, "rejected"))
            && Directory.EnumerateFiles(Path.Combine(_folder, "rejected"), $"*-{FileName(message.Key)}.json").Any())
        {
            return false;
        }

        await WriteAsync(LocalStateJson.Default.RejectedMessage, name, message, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RejectedMessage> ListRejectedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var name in Files("rejected"))
        {
            if (await ReadAsync(LocalStateJson.Default.RejectedMessage, Path.Combine("rejected", name), cancellationToken) is { } message)
            {
                yield return message;
            }
        }
    }

    /// <inheritdoc />
    public async Task<AlertRecord> RecordAlertAsync(Envelope alert, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        (await UpdateAlertAsync(((AlertRaised)alert.Payload).DedupKey, existing => existing?.With(alert, receivedAt) ?? AlertRecord.First(alert, receivedAt), cancellationToken))!;

    /// <inheritdoc />
    public async IAsyncEnumerable<AlertRecord> ListAlertsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<AlertRecord>();
        foreach (var name in Files("alerts"))
        {
            if (await ReadAsync(LocalStateJson.Default.AlertRecord, Path.Combine("alerts", name), cancellationToken) is { } record)
            {
                all.Add(record);
            }
        }

        foreach (var record in all.OrderByDescending(r => r.LastRaisedAt))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public Task<AlertRecord?> FindAlertAsync(string dedupKey, CancellationToken cancellationToken = default) =>
        ReadAsync(LocalStateJson.Default.AlertRecord, AlertFile(dedupKey), cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord?> ResolveAlertAsync(Envelope resolved, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(((AlertResolved)resolved.Payload).DedupKey, existing => existing?.Resolve(resolved, receivedAt), cancellationToken);

    /// <inheritdoc />
    public Task<AlertRecord?> RecordNotificationsAsync(string dedupKey, IReadOnlyList<ChannelNotification> notifications, CancellationToken cancellationToken = default) =>
        UpdateAlertAsync(dedupKey, existing => existing?.Notified(notifications), cancellationToken);

    /// <inheritdoc />
    public async Task<ChannelHealth> RecordDeliveryAsync(string channel, DateTimeOffset at, string? failure, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var name = Path.Combine("channels", FileName(channel) + ".json");
        var health = ChannelHealth.After(await ReadAsync(LocalStateJson.Default.ChannelHealth, name, cancellationToken), channel, at, failure);
        await WriteAsync(LocalStateJson.Default.ChannelHealth, name, health, cancellationToken);
        return health;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChannelHealth> ListChannelHealthAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<ChannelHealth>();
        foreach (var name in Files("channels"))
        {
            if (await ReadAsync(LocalStateJson.Default.ChannelHealth, Path.Combine("channels", name), cancellationToken) is { } health)
            {
                all.Add(health);
            }
        }

        foreach (var health in all.OrderBy(h => h.Channel, StringComparer.Ordinal))
        {
            yield return health;
        }
    }

    /// <inheritdoc />
    public async Task SaveCoverageAsync(CoverageReport report, CancellationToken cancellationToken = default)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        await WriteAsync(LocalStateJson.Default.CoverageReport, Path.Combine("coverage", FileName(report.Cluster) + ".json"), report, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CoverageReport> ListCoverageAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<CoverageReport>();
        foreach (var name in Files("coverage"))
        {
            if (await ReadAsync(LocalStateJson.Default.CoverageReport, Path.Combine("coverage", name), cancellationToken) is { } report)
            {
                all.Add(report);
            }
        }

        foreach (var report in all.OrderBy(r => r.Cluster, StringComparer.Ordinal))
        {
            yield return report;
        }
    }

    private static string AlertFile(string dedupKey) => Path.Combine("alerts", FileName(dedupKey) + ".json");

    /// <summary>Read, change and write one incident under the lock; written only when the change made a new record.</summary>
    private async Task<AlertRecord?> UpdateAlertAsync(string dedupKey, Func<AlertRecord?, AlertRecord?> change, CancellationToken cancellationToken)
    {
        await using var exclusive = await LockAsync(cancellationToken);
        var name = AlertFile(dedupKey);
        var existing = await ReadAsync(LocalStateJson.Default.AlertRecord, name, cancellationToken);
        var record = change(existing);
        if (record is not null && !ReferenceEquals(record, existing))
        {
            await WriteAsync(LocalStateJson.Default.AlertRecord, name, record, cancellationToken);
        }

        return record;
    }

    // Keys become file names: readable where safe, with a hash so that distinct keys never collide.
    private static string FileName(string key)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return $"{(safe.Length > 80 ? safe[..80] : safe)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12]}";
    }

    private IEnumerable<string> Files(string folder)
    {
        var path = Path.Combine(_folder, folder);
        return Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.json").Select(Path.GetFileName).OrderDescending(StringComparer.Ordinal)!
            : [];
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(_folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    private async Task<T?> ReadAsync<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, name);
        if (!File.Exists(path))
        {
            return default;
        }

        await using var file = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync(file, type, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable control state ({e.Message})", e);
        }
    }

    private async Task WriteAsync<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string name, T value, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(file, value, type, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>A lease as stored locally.</summary>
internal sealed record LocalLease(string Holder, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, LocalLease>))]
[JsonSerializable(typeof(Dictionary<string, DateTimeOffset>))]
[JsonSerializable(typeof(RejectedMessage))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(ChannelHealth))]
[JsonSerializable(typeof(CoverageReport))]
internal sealed partial class LocalStateJson : JsonSerializerContext;
