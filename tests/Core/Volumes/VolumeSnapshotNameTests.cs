using CsCheck;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Volumes;

public sealed class VolumeSnapshotNameTests
{
    [Fact]
    public void For_AClaimAndABackupId_IsTheClaimThenStrataThenTheId()
    {
        Assert.Equal("data-web-0-strata-20261121-023000-a1b2c3", VolumeSnapshotName.For("data-web-0", "20261121-023000-a1b2c3"));
    }

    [Fact]
    public void For_AnyClaimName_IsADns1123SubdomainOfAtMost253_AndTheSameForTheSameInputs()
    {
        var part = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 63];
        var claim = Gen.Select(part, part, Gen.Int[0, 4]).Select((a, b, dots) => string.Join('.', Enumerable.Repeat(a, dots).Append(b)));
        Gen.Select(claim, part).Sample((name, id) =>
        {
            var snapshot = VolumeSnapshotName.For(name, id);

            Assert.True(KubernetesNames.IsSubdomain(snapshot), snapshot);
            Assert.Equal(snapshot, VolumeSnapshotName.For(name, id));
        });
    }

    [Fact]
    public void For_LongClaimsThatShareAPrefix_StayDistinct_AndFit()
    {
        var claim = new string('a', 250);

        var first = VolumeSnapshotName.For(claim + "-0", "20261121-023000-a1b2c3");
        var second = VolumeSnapshotName.For(claim + "-1", "20261121-023000-a1b2c3");

        Assert.NotEqual(first, second);
        Assert.Equal(253, first.Length);
    }
}
