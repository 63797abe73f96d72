using System.Text.RegularExpressions;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.Tests.Messages;

public class MessageCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<MessagePayload> Payloads => new()
    {
        new BackupRequested("prod-weu", "nightly", Now, "scheduled", "schedule-tick"),
        new BackupCompleted("20261121-100000-a1b2c3", "prod-weu", "nightly", BackupStatus.PartiallyFailed, Now, Now.AddMinutes(3), 1234, "backups/prod-weu/nightly/20261121-100000-a1b2c3/", "2 items failed"),
        new VerifyRequested("20261121-100000-a1b2c3", "prod-weu", "nightly", VerificationKind.Drill),
        new RestoreRequested("20261121-100000-a1b2c3", "dr-neu", ["shop"], new Dictionary<string, string> { ["shop"] = "shop-restored" }, "app=web", Strata.Core.Restore.ExistingResourcePolicy.Update, true, "INC-42", "servicenow"),
        new AlertRaised(AlertSeverity.Critical, "backup-failed", "nightly on prod-weu failed", "backup-failed/nightly/prod-weu", "prod-weu", "nightly", "20261121-100000-a1b2c3", new Dictionary<string, string> { ["error"] = "forbidden" }),
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void RoundTrip_EveryType(MessagePayload payload)
    {
        var envelope = new Envelope("msg-1", "corr-1", Now, payload);

        var parsed = MessageCodec.Parse(MessageCodec.Serialize(envelope));

        Assert.True(parsed.Accepted, parsed.Rejection);
        Assert.Equal(envelope.Id, parsed.Message!.Id);
        Assert.Equal(envelope.CorrelationId, parsed.Message.CorrelationId);
        Assert.Equal(envelope.CreatedAt, parsed.Message.CreatedAt);
        Assert.Equal(MessageCodec.Serialize(envelope), MessageCodec.Serialize(parsed.Message));
        Assert.Equal(1, parsed.Message.Version);
    }

    [Fact]
    public void Serialize_UsesCamelCaseFieldsAndEnumStrings()
    {
        var json = MessageCodec.ToJson(new Envelope("m", "c", Now, new AlertRaised(AlertSeverity.Critical, "backup-failed", "s", "k")));

        Assert.Equal("AlertRaised", json["type"]!.GetValue<string>());
        Assert.Equal("2026-11-21T10:00:00.000Z", json["createdAt"]!.GetValue<string>());
        Assert.Equal("critical", json["payload"]!["severity"]!.GetValue<string>());
        Assert.Equal("k", json["payload"]!["dedupKey"]!.GetValue<string>());
        Assert.Null(json["payload"]!["cluster"]); // nulls are left out
    }

    [Theory]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"a","policy":"b"},"extra":1}""", "unknown envelope field 'extra'")]
    [InlineData("""{"version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "type is required")]
    [InlineData("""{"type":"BackupDeleted","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "unknown message type 'BackupDeleted'")]
    [InlineData("""{"type":"BackupRequested","version":2,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "BackupRequested version 2 is newer than this Strata reads (1)")]
    [InlineData("""{"type":"BackupRequested","version":"1","id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "version is required")]
    [InlineData("""{"type":"BackupRequested","version":1,"createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "id is required")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"yesterday","payload":{}}""", "createdAt is required")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z"}""", "payload is required")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"a"}}""", "payload: missing required fields")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"a","policy":"b","clustr":"c"}}""", "payload.clustr: unknown field")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"a","policy":null}}""", "payload.policy: must not be null")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"Prod WEU","policy":"b"}}""", "payload.cluster 'Prod WEU' is not a name")]
    [InlineData("""{"type":"AlertRaised","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"severity":2,"kind":"k","summary":"s","dedupKey":"d"}}""", "payload.severity: wrong type or value")]
    [InlineData("""{"type":"RestoreRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"backupId":"../etc","targetCluster":"a"}}""", "payload.backupId '../etc' is not a run id")]
    [InlineData("""{"type":"RestoreRequested","version":1,"id":"x","createdAt":"2026-11-21T10:00:00Z","payload":{"backupId":"b","targetCluster":"a","selector":"a in"}}""", "payload.selector:")]
    [InlineData("""not json""", "not JSON")]
    public void Parse_Rejects_WithAReasonNamingTheField(string json, string reason)
    {
        var parsed = MessageCodec.Parse(json);

        Assert.False(parsed.Accepted);
        Assert.Contains(reason, parsed.Rejection);
    }

    [Fact]
    public void Parse_Rejected_KeepsTheIdAndTypeWhenReadable()
    {
        var parsed = MessageCodec.Parse("""{"type":"BackupRequested","version":1,"id":"ci-run-77","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"a"}}""");

        Assert.Equal("ci-run-77", parsed.Id);
        Assert.Equal("BackupRequested", parsed.Type);
    }

    [Fact]
    public void Parse_MissingCorrelationId_IsTheMessagesOwnId()
    {
        var parsed = MessageCodec.Parse("""{"type":"BackupRequested","version":1,"id":"ci-run-77","createdAt":"2026-11-21T10:00:00+01:00","payload":{"cluster":"a","policy":"b"}}""");

        Assert.Equal("ci-run-77", parsed.Message!.CorrelationId);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero), parsed.Message.CreatedAt);
    }

    [Fact]
    public void Documentation_EveryExampleParses_AndEveryTypeHasOne()
    {
        var docs = File.ReadAllText(Path.Combine(Strata.TestKit.Repository.Root, "docs", "messages.md"));
        var examples = Regex.Matches(docs, "```json\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        var types = new HashSet<string>();

        foreach (var example in examples.Where(e => e.Contains("\"payload\"", StringComparison.Ordinal)))
        {
            var parsed = MessageCodec.Parse(example);
            Assert.True(parsed.Accepted, $"{parsed.Rejection} in:\n{example}");
            types.Add(parsed.Message!.Type);
        }

        Assert.Equal(MessageCodec.KnownTypes.Select(t => t.Name).Order(), types.Order());
    }
}
