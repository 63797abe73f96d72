using System.Text.RegularExpressions;
using CsCheck;
using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.TestKit;
using Strata.TestKit.Fuzzing;

namespace Strata.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="ConfigurationLoader.Parse"/> on <c>strata.yaml</c> files mutated from every documented example: a file
/// is read or refused with <see cref="ConfigurationException"/> (naming lines), never another exception, never a hang.
/// </summary>
public partial class ConfigurationLoaderFuzzTests
{
    private static readonly string[] Tokens =
    [
        "\n", "\n  ", "\n    - ", ": ", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: *a\n", "!!binary ", "!!int ", "!custom ", "? ", "|\n  ", ">-\n  ",
        "~", "null", "'", "\"", "#", "---\n", "...\n", "%YAML 1.2\n", "0x1F", "1e999", "-1", "99999999999999999999", "2147483648", "0.5",
        "name: x", "schedule: \"* * * * *\"", "schedule: \"61 25 * * *\"", "timeZone: Nowhere/Else", "rpo: 0s", "rpo: 999999999d",
        "retention: { keepLast: -1 }", "clusters: [\"tag:\"]", "selector: \"a in (\"", "env: ", "keyVault: { vault: v, secret: s }", "file: /dev/zero",
        "[[[[[[[[", "{a: {a: {a: {a:", "- - - - - -",
    ];

    private static readonly string[] Seeds = [.. new[] { "README.md" }
        .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Repository.Root, f)))
        .SelectMany(f => YamlBlock().Matches(File.ReadAllText(Path.Combine(Repository.Root, f))).Select(m => m.Groups[1].Value))
        .Where(y => y.Contains("policies:", StringComparison.Ordinal))];

    [Fact]
    public void Parse_MutatedStrataYaml_ReadsOrThrowsConfigurationException()
    {
        Assert.True(Seeds.Length >= 5, $"{Seeds.Length} seeds");
        Fuzz.Mutated(Seeds, Tokens).Sample(
            yaml => Fuzz.Case(() => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance), e => e is ConfigurationException),
            iter: 2_000);
    }

    [Theory]
    [InlineData("malformed flow mapping")]
    [InlineData("[")]
    [InlineData("- ")]
    [InlineData("{a: ")]
    public void Parse_WhatYamlDotNetFailsOnWithoutAYamlException_IsAConfigurationException(string shape)
    {
        // Found by fuzzing: an InvalidOperationException, an ArgumentException, and a stack overflow that ended the process.
        var yaml = shape == "malformed flow mapping"
            ? "apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: shared\n  cluster: { server: \"https://first.example:6443\", insecure-skip-tls-verify: [[true, tls-server-name: kubernetes }\nusers:\n- name: u\n  user: { token: first-token }\n"
            : (shape == "- " ? "policies:\n  " : "policies: ") + string.Concat(Enumerable.Repeat(shape, 100_000));

        var refused = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance));

        Assert.Contains("strata.yaml", refused.Message, StringComparison.Ordinal);
        Assert.Contains(shape == "malformed flow mapping" ? "the YAML parser gave up" : "nest more than 64 deep", refused.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
