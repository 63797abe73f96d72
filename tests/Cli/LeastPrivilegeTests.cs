using System.Text.Json.Nodes;

namespace Strata.Cli.Tests;

/// <summary>
/// The roles of <c>infra/kubernetes</c> against RBAC-enabled sandboxes: a backup, a restore and a drill each succeed
/// with exactly their role, and fail, naming the forbidden verb and resource, when one rule of it is left out.
/// </summary>
public sealed class LeastPrivilegeTests
{
    [Fact]
    public async Task BackupRestoreDrill_EachWithExactlyItsRole_Succeed()
    {
        await using var world = await LeastPrivilegeWorld.StartAsync();
        world.Prod.Access.RecordDecisions = true;
        world.Dr.Access.RecordDecisions = true;

        var backupId = await world.BackUpOrFailAsync();
        var (restoreCode, restoreOut, restoreError) = await world.RestoreAsync(backupId);
        var (drillCode, drillOut, drillError) = await world.DrillAsync();

        Assert.True(restoreCode == 0, restoreError + restoreOut);
        Assert.True(drillCode == 0, drillError + drillOut);
        Assert.Equal("Passed", JsonNode.Parse(drillOut)!["status"]!.GetValue<string>());
        var denied = world.Prod.Access.Decisions.Concat(world.Dr.Access.Decisions).Where(d => !d.Allowed).Select(d => $"{d.User}: {d.Request}").ToList();
        Assert.True(denied.Count == 0, string.Join('\n', denied));
    }
}
