using System.Security.Cryptography;
using CsCheck;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary><see cref="EtcdSnapshotIntegrity"/> judges the same bytes the same way however they are cut into chunks, and hashes the whole artifact in the same pass.</summary>
public sealed class EtcdSnapshotIntegrityTests
{
    private static readonly byte[] Snapshot = BoltSnapshots.Build(fillerPages: 3);

    private static EtcdSnapshotVerdict Judge(byte[] bytes, IEnumerable<int> cuts)
    {
        var integrity = new EtcdSnapshotIntegrity();
        var offset = 0;
        foreach (var cut in cuts.Where(c => c > 0 && c < bytes.Length).Order().Append(bytes.Length))
        {
            integrity.Append(bytes.AsSpan(offset, cut - offset));
            offset = cut;
        }

        return integrity.Complete();
    }

    [Fact]
    public void Complete_Intact_Sha256IsTheWholeArtifacts_DatabaseSha256TheTrailers()
    {
        var verdict = Judge(Snapshot, []);

        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Snapshot)), verdict.Sha256);
        Assert.Equal(Convert.ToHexStringLower(Snapshot.AsSpan(Snapshot.Length - 32)), verdict.DatabaseSha256);
        Assert.Equal((Snapshot.Length, Snapshot.Length - 32L, BoltSnapshots.PageSize, 42UL), (verdict.Length, verdict.DatabaseLength, verdict.PageSize, verdict.TransactionId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public void Complete_Broken_StillHashesEveryByteRead(int length)
    {
        var bytes = Snapshot[..length];

        var verdict = Judge(bytes, []);

        Assert.False(verdict.Intact);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), verdict.Sha256);
    }

    [Fact]
    public void Complete_Property_AnyChunking_SameVerdict() =>
        Gen.Select(Gen.Int[0, Snapshot.Length].Array[0, 12], Gen.Int[-1, Snapshot.Length - 1]).Sample((cuts, flip) =>
        {
            var bytes = flip < 0 ? Snapshot : BoltSnapshots.Flipped(Snapshot, flip);
            var whole = Judge(bytes, []);
            var chunked = Judge(bytes, cuts);
            return chunked == whole && whole.Intact == (flip < 0) && whole.Sha256 == Convert.ToHexStringLower(SHA256.HashData(bytes));
        });
}
