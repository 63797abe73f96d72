using System.Text.RegularExpressions;
using CsCheck;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Fuzzing;

namespace Strata.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="MessageCodec.Parse(string)"/> on envelopes mutated from every documented example: it never throws (a bad
/// message is a rejection with a reason, which the worker dead-letters), and it is done in bounded time.
/// </summary>
public partial class MessageCodecFuzzTests
{
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0", "-1", "1e999", "-0", "2147483648", "9999999999999999999999",
        "\"\\u0000\"", "\"\\ud800\"", "\"9999-12-31T23:59:59+14:00\"", "\"0001-01-01T00:00:00-14:00\"", "\"type\"", "\"version\"", "\"payload\"",
        "\"id\"", "\"createdAt\"", "\"correlationId\"", "\"cluster\"", "\"policy\"", "\"namespaceMappings\"", "{\"a\":1}", "[[[[", "\"\"",
    ];

    private static readonly string[] Examples = [.. ExampleBlock().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "messages.md")))
        .Select(m => m.Groups[1].Value).Where(e => e.Contains("\"payload\"", StringComparison.Ordinal))];

    [Fact]
    public void Parse_MutatedEnvelope_AcceptsOrRejectsWithoutThrowing()
    {
        Assert.NotEmpty(Examples);
        Fuzz.Mutated(Examples, Tokens).Sample(json => Fuzz.Case(() =>
        {
            var result = MessageCodec.Parse(json);
            Assert.True(result.Accepted != (result.Rejection is not null));
            if (result.Accepted)
            {
                Assert.True(MessageCodec.Parse(MessageCodec.Serialize(result.Message!)).Accepted); // what it accepts, it writes back readably
            }
        }, _ => false), iter: 4_000);
    }

    [Fact]
    public void Parse_StringOfAJsonString_AcceptsOrRejectsWithoutThrowing() =>
        Fuzz.Mutated(Examples, Tokens).Sample(json => Fuzz.Case(() => MessageCodec.Parse(System.Text.Json.JsonSerializer.Serialize(json)), _ => false), iter: 500);

    [GeneratedRegex("```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
