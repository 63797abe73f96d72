using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Encryption;

public class EncryptSecretValuesTests
{
    private static readonly ApiResource Secrets = new("", "v1", "secrets", "Secret", true, ["get", "list"]);
    private static readonly DataKey Key = DataKey.Create();

    [Fact]
    public void AppliesTo_OnlyCoreSecrets()
    {
        var action = new EncryptSecretValues(Key);

        Assert.True(action.AppliesTo(Secrets));
        Assert.False(action.AppliesTo(new ApiResource("", "v1", "configmaps", "ConfigMap", true, [])));
        Assert.False(action.AppliesTo(new ApiResource("example.com", "v1", "secrets", "Secret", true, [])));
    }

    [Fact]
    public void Execute_BindsTokensToTheObjectsArchivePath()
    {
        var secret = SecretValuesTests.Secret();
        var original = secret.Json.ToJsonString();

        var decision = new EncryptSecretValues(Key).Execute(new BackupItem(Secrets, secret));

        Assert.False(decision.IsSkip);
        Assert.NotEqual(original, secret.Json.ToJsonString());
        SecretValues.DecryptInPlace(secret, "resources/core/v1/secrets/namespaces/shop/db.json", Key);
        Assert.Equal(original, secret.Json.ToJsonString());
    }

    [Fact]
    public void Execute_FromManyThreadsAtOnce_EveryTokenDecryptsWhereItIs()
    {
        using var action = new EncryptSecretValues(Key);
        var secrets = Enumerable.Range(0, 400).Select(i => new KubeObject((JsonObject)JsonNode.Parse(
            $$$"""{"kind":"Secret","metadata":{"name":"s{{{i}}}","namespace":"a"},"data":{"k":"{{{Convert.ToBase64String(BitConverter.GetBytes(i))}}}"}}""")!)).ToList();

        Parallel.ForEach(secrets, new ParallelOptions { MaxDegreeOfParallelism = 8 }, s => Assert.False(action.Execute(new BackupItem(Secrets, s)).IsSkip));

        Assert.All(secrets, (s, i) => Assert.Equal(
            BitConverter.GetBytes(i), SecretValueCipher.Decrypt(s.Json["data"]!["k"]!.GetValue<string>(), Key, $"resources/core/v1/secrets/namespaces/a/s{i}.json", "data", "k")));
    }

    [Fact]
    public void Execute_AfterDispose_StillEncrypts()
    {
        var action = new EncryptSecretValues(Key);
        action.Dispose();
        var secret = SecretValuesTests.Secret();

        Assert.False(action.Execute(new BackupItem(Secrets, secret)).IsSkip);
        Assert.StartsWith(SecretValueCipher.Prefix, secret.Json["data"]!["password"]!.GetValue<string>(), StringComparison.Ordinal);
        action.Dispose();
    }

    [Fact]
    public void Execute_DataNotBase64_LeavesTheSecretOut()
    {
        var secret = new KubeObject((JsonObject)JsonNode.Parse("""{"kind":"Secret","metadata":{"name":"x","namespace":"a"},"data":{"k":"not base64!"}}""")!);

        var decision = new EncryptSecretValues(Key).Execute(new BackupItem(Secrets, secret));

        Assert.True(decision.IsSkip);
        Assert.DoesNotContain("not base64!", decision.SkipReason!);
    }
}
