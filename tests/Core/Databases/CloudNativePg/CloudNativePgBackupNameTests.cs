using CsCheck;
using Strata.Core.Databases.CloudNativePg;

namespace Strata.Core.Tests.Databases.CloudNativePg;

public sealed class CloudNativePgBackupNameTests
{
    [Fact]
    public void For_AClusterAndABackupId_IsTheClusterThenStrataThenTheId()
    {
        Assert.Equal("pg-main-strata-20261121-023000-a1b2c3", CloudNativePgBackupName.For("pg-main", "20261121-023000-a1b2c3"));
    }

    [Fact]
    public void For_AnyNames_IsADns1123LabelOfAtMost63_AndTheSameForTheSameInputs()
    {
        var name = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 63];
        Gen.Select(name, name).Sample((cluster, id) =>
        {
            var backup = CloudNativePgBackupName.For(cluster, id);

            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", backup);
            Assert.InRange(backup.Length, 1, 63);
            Assert.Equal(backup, CloudNativePgBackupName.For(cluster, id));
        });
    }

    [Fact]
    public void For_LongNamesThatShareAPrefix_StayDistinct()
    {
        var cluster = new string('a', 60);

        Assert.NotEqual(CloudNativePgBackupName.For(cluster, "20261121-023000-a1b2c3"), CloudNativePgBackupName.For(cluster, "20261121-023000-d4e5f6"));
    }
}
