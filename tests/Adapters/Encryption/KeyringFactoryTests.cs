using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Encryption;
using Strata.Adapters.Hosting;
using Strata.Adapters.KeyVault;
using Strata.Adapters.Local;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Encryption;
using Strata.TestKit;
using Strata.TestKit.Fakes;
using Strata.TestKit.KeyVault;

namespace Strata.Adapters.Tests.Encryption;

/// <summary>
/// <see cref="KeyringFactory"/>: strata.yaml's <c>encryption:</c> and <c>--key</c> references become the keys and signer
/// they name, bad ones are refused naming where (never a key's bytes), and a backup wrapped by a Key Vault key and an
/// offline RSA key opens and decrypts with the offline key alone once the vault is gone.
/// </summary>
public sealed class KeyringFactoryTests : IAsyncLifetime
{
    private const string Canary = "offline-canary-7d1f";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("strata-keyring-");
    private readonly Dictionary<string, string> _variables = [];
    private FakeKeyVault _vault = null!;
    private bool _vaultGone;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync()
    {
        if (!_vaultGone)
        {
            await _vault.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    private SecretResolver Secrets => new(name => _variables.GetValueOrDefault(name));

    private Keyring Create(string encryption, KeyVaultKeysOptions? options = null) =>
        KeyringFactory.Create(Configuration(encryption), Secrets, () => FakeKeyVault.Credential, options ?? _vault.Options());

    private static StrataConfiguration Configuration(string encryption) => ConfigurationLoader.Parse(
        """
        clusters:
          - name: prod
            server: https://prod.example:6443
        policies:
          - name: nightly
            clusters: ["*"]
            schedule: "0 1 * * *"

        """ + encryption, "strata.yaml", SystemTimeZones.Instance);

    private string File(string name, string content)
    {
        var path = Path.Combine(_folder.FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private (string Private, string Public) RsaFiles(string name)
    {
        using var rsa = RSA.Create(2048);
        return (File(name + ".pem", rsa.ExportPkcs8PrivateKeyPem()), File(name + ".pub.pem", rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public async Task Create_EveryKeyKind_BuildsItsKeyAndTheSigner_EachWrapsAndUnwraps()
    {
        _vault.CreateRsaKey("kek");
        var (privatePem, publicPem) = RsaFiles("offline");
        _variables["STRATA_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var keyring = Create($$"""
            encryption:
              keys:
                - name: vault
                  keyVault: { vault: "{{_vault.VaultUri}}", key: kek }
                - name: escrow
                  file: {{publicPem}}
                - name: offline
                  file: {{privatePem}}
                - name: local
                  secret: { env: STRATA_KEK }
              signing:
                hmac: { env: STRATA_SIGNING_KEY }
            """);

        Assert.Equal(["vault", "escrow", "offline", "local"], keyring.Keys.Select(k => k.Name));
        Assert.IsType<KeyVaultKeyEncryptionKey>(keyring.Keys[0]);
        Assert.IsType<LocalRsaKeyEncryptionKey>(keyring.Keys[1]);
        Assert.IsType<LocalRsaKeyEncryptionKey>(keyring.Keys[2]);
        Assert.IsType<LocalAesKeyEncryptionKey>(keyring.Keys[3]);
        Assert.Equal([true, false, true, true], keyring.Keys.Select(k => k.CanUnwrap));
        Assert.IsType<HmacManifestSigner>(keyring.Signer);
        using var dataKey = DataKey.Create();
        foreach (var key in keyring.Keys.Where(k => k.CanUnwrap))
        {
            using var unwrapped = await key.UnwrapAsync(await key.WrapAsync(dataKey));
            Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        }

        // The public half wraps for its private half: the same key id, and the private key unwraps what it wrapped.
        var escrowed = await keyring.Keys[1].WrapAsync(dataKey);
        Assert.True(keyring.Keys[2].Matches(escrowed));
        using (var fromEscrow = await keyring.Keys[2].UnwrapAsync(escrowed))
        {
            Assert.Equal(dataKey.Bytes.ToArray(), fromEscrow.Bytes.ToArray());
        }

        var manifest = "{\"backupId\":\"b\"}"u8.ToArray();
        Assert.True(await keyring.Signer!.VerifyAsync(manifest, await keyring.Signer.SignAsync(manifest)));
    }

    [Fact]
    public async Task Create_KeyVaultSigning_SignsWithTheVaultKey()
    {
        _vault.CreateEcKey("signing");

        var keyring = Create($$"""
            encryption:
              signing:
                keyVault: { vault: "{{_vault.VaultUri}}", key: signing }
            """);

        Assert.Empty(keyring.Keys);
        var signer = Assert.IsType<KeyVaultManifestSigner>(keyring.Signer);
        var signature = await signer.SignAsync("{}"u8.ToArray());
        Assert.Equal("ES256", signature.Algorithm);
        Assert.StartsWith(_vault.VaultUri.ToString().TrimEnd('/') + "/keys/signing/", signature.KeyId, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoEncryption_IsNone()
    {
        Assert.Same(Keyring.None, Create(""));
    }

    [Fact]
    public void Create_KeyFileThatIsNotAnRsaKey_IsRefusedNamingTheKeyAndLine_NotItsContent()
    {
        var notRsa = File("aes.pem", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1jYW5hcnk=\n-----END PRIVATE KEY-----\n");
        var missing = Path.Combine(_folder.FullName, "missing.pem");

        var error = Assert.Throws<ConfigurationException>(() => Create($"""
            encryption:
              keys:
                - name: broken
                  file: {notRsa}
                - name: gone
                  file: {missing}
            """));

        Assert.Equal(2, error.Errors.Count);
        Assert.Equal("encryption.keys[0]", error.Errors[0].Field);
        Assert.Equal("encryption.keys[1]", error.Errors[1].Field);
        Assert.All(error.Errors, e => Assert.True(e.Line > 0));
        Assert.Contains("broken", error.Errors[0].Message);
        Assert.Contains(missing, error.Errors[1].Message);
        Assert.DoesNotContain("c2VjcmV0LWtleS1jYW5hcnk", error.Message);
    }

    [Theory]
    [InlineData("file:KEY.pem", typeof(LocalRsaKeyEncryptionKey))]
    [InlineData("file:KEY.b64", typeof(LocalAesKeyEncryptionKey))]
    [InlineData("env:STRATA_KEK", typeof(LocalAesKeyEncryptionKey))]
    [InlineData("keyVault:strata-kv/kek", typeof(KeyVaultKeyEncryptionKey))]
    [InlineData("keyVault:strata-kv/kek/0123456789abcdef", typeof(KeyVaultKeyEncryptionKey))]
    public void FromReference_EachKind_IsThatKey_NamedByTheReference(string reference, Type kind)
    {
        var (privatePem, _) = RsaFiles("KEY");
        var aes = File("KEY.b64", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        reference = reference.Replace("KEY.pem", privatePem, StringComparison.Ordinal).Replace("KEY.b64", aes, StringComparison.Ordinal);

        var key = KeyringFactory.FromReference(reference, Secrets, () => FakeKeyVault.Credential, _vault.Options());

        Assert.IsType(kind, key);
        Assert.Equal(reference, key.Name);
    }

    [Fact]
    public void FromReference_KeyVaultVersion_MatchesOnlyThatVersionsWrappings()
    {
        var pinned = KeyringFactory.FromReference("keyVault:strata-kv/kek/v2", Secrets, () => FakeKeyVault.Credential);
        var latest = KeyringFactory.FromReference("keyVault:strata-kv/kek", Secrets, () => FakeKeyVault.Credential);
        WrappedKey By(string version) => new($"https://strata-kv.vault.azure.net/keys/kek/{version}", KeyWrapAlgorithms.RsaOaep256, "AA==");

        Assert.True(pinned.Matches(By("v2")));
        Assert.False(pinned.Matches(By("v1")));
        Assert.True(latest.Matches(By("v1")));
        Assert.False(latest.Matches(new WrappedKey("https://other-kv.vault.azure.net/keys/kek/v1", KeyWrapAlgorithms.RsaOaep256, "AA==")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("offline.pem")]
    [InlineData("file:")]
    [InlineData("env:")]
    [InlineData("keyVault:strata-kv")]
    [InlineData("keyVault:strata-kv/")]
    [InlineData("keyVault:strata-kv/kek/v1/extra")]
    [InlineData("vault:strata-kv/kek")]
    public void FromReference_NotAReference_IsRefusedNamingItAndTheForms(string reference)
    {
        var error = Assert.Throws<KeyUnwrapException>(() => KeyringFactory.FromReference(reference, Secrets, () => FakeKeyVault.Credential));

        Assert.Contains($"'{reference}' is not a key reference", error.Message);
        Assert.Contains("keyVault:VAULT/KEY[/VERSION]", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FromReference_SecretThatIsNotAnAesKey_IsRefusedOnUse_WithoutEchoingIt(bool inFile)
    {
        const string Secret = "not-base64-secret-canary!";
        _variables["BAD_KEK"] = Secret;
        var reference = inFile ? "file:" + File("bad.key", Secret) : "env:BAD_KEK";
        var key = KeyringFactory.FromReference(reference, Secrets, () => FakeKeyVault.Credential);
        using var dataKey = DataKey.Create();

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => key.WrapAsync(dataKey));

        Assert.Contains(reference, error.Message);
        Assert.DoesNotContain("secret-canary", error.ToString());
    }

    [Fact]
    public async Task VaultAndOfflineKey_VaultGone_BackupOpensAndDecryptsWithTheOfflineKeyAlone()
    {
        _vault.CreateRsaKey("kek");
        var (privatePem, publicPem) = RsaFiles("offline");
        var store = new LocalFolderArtifactStore(Path.Combine(_folder.FullName, "store"));
        var backupKeyring = Create($$"""
            encryption:
              keys:
                - name: vault
                  keyVault: { vault: "{{_vault.VaultUri}}", key: kek }
                - name: offline
                  file: {{publicPem}}
            """);
        var outcome = await CaptureAsync(store, backupKeyring);
        var prefix = outcome.Record.Location;
        var manifestBytes = (await ManifestFile.ReadBytesAsync(store, prefix))!;
        var wrappedBy = ManifestFile.Read(manifestBytes, "manifest.json").Encryption!.WrappedKeys;
        Assert.Equal(["vault", "offline"], wrappedBy.Select(w => w.Name));
        Assert.StartsWith(_vault.VaultUri.ToString().TrimEnd('/') + "/keys/kek/", wrappedBy[0].KeyId, StringComparison.Ordinal);
        Assert.StartsWith("local:rsa:", wrappedBy[1].KeyId, StringComparison.Ordinal);

        // The vault is gone: its address answers no more (a transport of our own, since the fake's goes with it).
        await _vault.DisposeAsync();
        _vaultGone = true;
        var gone = new KeyVaultKeysOptions { Retry = { MaxRetries = 0 }, DisableChallengeResourceVerification = true };
        var vaultOnly = Create($$"""
            encryption:
              keys:
                - name: vault
                  keyVault: { vault: "{{_vault.VaultUri}}", key: kek }
            """, gone);
        var refused = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(store, prefix, vaultOnly, requireSignature: false));
        Assert.Contains("the vault could not be reached", refused.Message);

        // strata.yaml still lists the vault: it fails, and the offline key (its private half now) opens the backup.
        var restoreKeyring = Create($$"""
            encryption:
              keys:
                - name: vault
                  keyVault: { vault: "{{_vault.VaultUri}}", key: kek }
                - name: offline
                  file: {{privatePem}}
            """, gone);
        using (var opened = await BackupOpening.OpenAsync(store, prefix, restoreKeyring, requireSignature: false))
        {
            Assert.True(KeyCheckValue.Matches(opened!.DataKey!, opened.Manifest.Encryption!.KeyCheck!));
        }

        // The offline key alone, given as --key; then strata decrypt's export and the Python script with it.
        var offline = KeyringFactory.FromReference($"file:{privatePem}", Secrets, () => FakeKeyVault.Credential);
        using var alone = await BackupOpening.OpenAsync(store, prefix, new Keyring([offline], null), requireSignature: false);
        var dotnet = Path.Combine(_folder.FullName, "dotnet");
        await PlaintextExport.ExportAsync(alone!.Artifacts, prefix, alone.Manifest, manifestBytes, alone.DataKey, (path, _) => CreateFileAsync(dotnet, path));
        var python = Path.Combine(_folder.FullName, "python");
        var run = await StrataDecryptScript.RunAsync(Path.Combine(store.Location, prefix), "--key", privatePem, "--output", python);

        Assert.True(run.ExitCode == 0, $"strata_decrypt.py exited {run.ExitCode}: {run.Stderr}");
        var expected = StrataDecryptScript.Tree(dotnet);
        Assert.Equal(expected, StrataDecryptScript.Tree(python));
        var secret = JsonNode.Parse(expected["resources/core/v1/secrets/namespaces/shop/db.json"])!;
        Assert.Equal(Canary, Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["password"]!.GetValue<string>())));
    }

    private static async Task<BackupOutcome> CaptureAsync(LocalFolderArtifactStore store, Keyring keyring)
    {
        var cluster = new RecordingCluster();
        var secrets = RecordingCluster.BuiltIn.Single(r => r.Name == "secrets");
        await cluster.CreateAsync(RecordingCluster.BuiltIn.Single(r => r.Name == "namespaces"), null,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "shop" } });
        await cluster.CreateAsync(secrets, "shop", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "shop" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary)) },
        });
        return await new BackupCapture(cluster, store, new MemoryRunHistory(), TimeProvider.System, new BackupCaptureOptions { Keyring = keyring, Ids = new SequentialIdSource() })
            .RunAsync(new BackupRequest("prod", new BackupScope()) { Encrypt = EncryptionMode.Secrets });
    }

    private static Task<Stream> CreateFileAsync(string root, string path)
    {
        var file = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return Task.FromResult<Stream>(new FileStream(file, FileMode.CreateNew, FileAccess.Write));
    }
}
