using System.Security.Cryptography;
using Strata.Adapters.Encryption;
using Strata.Core.Encryption;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Core.Tests.Restore;

/// <summary><see cref="RestoreOptions.SignatureRequiredFor"/>: when a restore insists on a valid manifest signature.</summary>
public sealed class RestoreOptionsTests
{
    private static readonly Keyring Signed = new([], HmacManifestSigner.FromBytes(RandomNumberGenerator.GetBytes(32)));

    private static BackupRecord Record(string? signedBy) => new()
    {
        Id = "20260101T000000Z-abcdef",
        Cluster = "prod",
        Policy = "nightly",
        Status = BackupStatus.Verified,
        StartedAt = DateTimeOffset.UnixEpoch,
        Location = "backups/prod/nightly/20260101T000000Z-abcdef/",
        SignedBy = signedBy,
    };

    [Theory]
    [InlineData(true, "local:hmac:0123", false, false, true)]   // history says signed
    [InlineData(false, "local:hmac:0123", false, false, true)]  // history says signed, even with no signer to check it
    [InlineData(true, null, false, false, false)]               // history says unsigned: an older backup, warned
    [InlineData(true, null, true, false, true)]                 // not in the history, manifests are signed
    [InlineData(false, null, true, false, false)]               // not in the history, nothing is signed
    [InlineData(true, "local:hmac:0123", false, true, false)]   // --allow-unsigned
    [InlineData(true, null, true, true, false)]                 // --allow-unsigned
    public void SignatureRequiredFor_HistoryAndKeyring_RequiresAsDocumented(bool signer, string? signedBy, bool storeOnly, bool allowUnsigned, bool expected)
    {
        var options = new RestoreOptions { Keyring = signer ? Signed : Keyring.None };

        Assert.Equal(expected, options.SignatureRequiredFor(storeOnly ? null : Record(signedBy), allowUnsigned));
        Assert.False(options with { AllowUnsigned = true } is var allowed && allowed.SignatureRequiredFor(storeOnly ? null : Record(signedBy)));
    }
}
