using CsCheck;
using Strata.Core.Artifacts;

namespace Strata.Core.Tests.Artifacts;

public class ArtifactLayoutTests
{
    private static readonly Gen<string> Name = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_.ABC /:"], 1, 20];
    private static readonly Gen<string> Path = Gen.String[Gen.Char["abcdefghij.-_"], 1, 12].Array[1, 4].Select(parts => string.Join('/', parts));

    [Fact]
    public void TryParseKey_ReadsBackWhatTheLayoutWrote() =>
        Gen.Select(Name, Name, Path).Sample((cluster, policy, path) =>
        {
            var prefix = ArtifactLayout.BackupPrefix(cluster, policy, "20261121-093000-abcdef");
            var key = ArtifactLayout.ArtifactKey(prefix, path);

            Assert.True(ArtifactLayout.TryParseKey(key, out var parsed));
            Assert.Equal((ArtifactLayout.Segment(cluster), ArtifactLayout.Segment(policy), "20261121-093000-abcdef", path), (parsed.Cluster, parsed.Policy, parsed.BackupId, parsed.Path));
            Assert.Equal(prefix, parsed.BackupPrefix);
        });

    [Theory]
    [InlineData("backups/prod/nightly/20261121-093000-abcdef")]
    [InlineData("backups/prod/nightly/20261121-093000-abcdef/")]
    [InlineData("backups/prod/20261121-093000-abcdef/manifest.json")]
    [InlineData("history/backups/x.json")]
    [InlineData("backups//nightly/20261121-093000-abcdef/manifest.json")]
    public void TryParseKey_KeysOutsideTheLayout_AreNotBackups(string key) => Assert.False(ArtifactLayout.TryParseKey(key, out _));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("/backups/x", "it starts with '/'")]
    [InlineData("backups/x/", "it ends with '/'")]
    [InlineData("backups//x", "empty, '.' or '..' segment")]
    [InlineData("backups/../x", "empty, '.' or '..' segment")]
    [InlineData("backups\\x", "it contains '\\'")]
    public void ValidateKey_RefusesKeysNoStoreCouldHoldSafely(string key, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactLayout.ValidateKey(key));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ValidateKey_TooLong() =>
        Assert.Contains("longer than 1024", Assert.Throws<ArgumentException>(() => ArtifactLayout.ValidateKey(new string('a', 1025))).Message);
}
