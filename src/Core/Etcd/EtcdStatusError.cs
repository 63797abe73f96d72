using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Core.Etcd;

/// <summary>
/// One entry of a member's <c>Maintenance.Status</c> errors, read. etcd lists there every alarm of the whole cluster,
/// on every member, as <c>memberID:15300616325842721311 alarm:NOSPACE</c> (the id in decimal, as protobuf's text format
/// prints it) — so an alarm says something about the member it names, not about the one that reported it — and
/// <c>etcdserver: no leader</c> when the reporting member has no leader.
/// </summary>
/// <param name="Text">The entry as the member reported it.</param>
/// <param name="Alarm">The alarm's type (<c>NOSPACE</c>, <c>CORRUPT</c>); null when the entry is no alarm.</param>
/// <param name="AlarmMember">The id of the member the alarm is raised on, as written; null when the entry is no alarm or names none.</param>
public sealed partial record EtcdStatusError(string Text, string? Alarm, string? AlarmMember)
{
    /// <summary>The alarm of a member whose database no longer matches the others' (a hash check failed): never snapshotted.</summary>
    public const string Corrupt = "CORRUPT";

    /// <summary>Reads <paramref name="text"/>.</summary>
    public static EtcdStatusError Parse(string text)
    {
        var match = AlarmPattern().Match(text);
        return !match.Success ? new EtcdStatusError(text, null, null)
            : new EtcdStatusError(text, match.Groups["alarm"].Value.ToUpperInvariant(), match.Groups["member"].Success ? match.Groups["member"].Value : null);
    }

    /// <summary>The entry says the reporting member has no leader (<c>etcdserver: no leader</c>): its state may be stale.</summary>
    public bool NoLeader => Alarm is null && Text.Contains("no leader", StringComparison.OrdinalIgnoreCase);

    /// <summary>The member the alarm names, when its id reads (decimal, as etcd writes it; else 16 hex digits, as etcdctl prints ids).</summary>
    public ulong? AlarmMemberId =>
        AlarmMember is not { } id ? null
        : ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var decimalId) ? decimalId
        : id.Length <= 16 && ulong.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hexId) ? hexId
        : null;

    /// <summary>
    /// Whether this entry rules out snapshotting the member <paramref name="memberId"/> that reported it: a <c>CORRUPT</c>
    /// alarm naming that member (or naming none that reads, which may be it), or no leader. Every other alarm
    /// (<c>NOSPACE</c>: the cluster refuses writes, which a snapshot does not need; <c>CORRUPT</c> on another member) is
    /// the cluster's, reported alike by every member, and only worth a warning.
    /// </summary>
    public bool PassesOver(ulong memberId) =>
        NoLeader || (Alarm == Corrupt && (AlarmMemberId is not { } named || named == memberId));

    /// <summary>How a reading names it: <c>alarm NOSPACE on member 0000000000000002</c>, <c>no leader</c>, or the text itself.</summary>
    public string Describe() =>
        Alarm is { } alarm ? $"alarm {alarm} on member {(AlarmMemberId is { } id ? EtcdIds.Hex(id) : AlarmMember ?? "(none named)")}"
        : NoLeader ? "no leader"
        : Text.Trim();

    [GeneratedRegex(@"(?:memberID:\s*(?<member>\S+)\s+)?alarm:\s*(?<alarm>[A-Za-z_]+)", RegexOptions.CultureInvariant)]
    private static partial Regex AlarmPattern();
}
