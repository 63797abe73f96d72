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

public sealed class LeastPrivilegeExplore
{
    public static TheoryData<string, int> Rules()
    {
        var data = new TheoryData<string, int>();
        foreach (var (_, obj) in LeastPrivilegeWorld.Manifests)
        {
            if (obj["kind"]!.GetValue<string>() is "Role" or "ClusterRole")
            {
                for (var i = 0; i < obj["rules"]!.AsArray().Count; i++)
                {
                    data.Add(obj["metadata"]!["name"]!.GetValue<string>(), i);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Explore(string role, int index)
    {
        All.Clear();
        await using var world = await LeastPrivilegeWorld.StartAsync((role, index));
        var lines = new List<string>();
        var (code, output, error) = await world.BackUpAsync();
        lines.Add($"backup {code}");
        lines.AddRange(Forbidden(output + error));
        if (code == 0 && role is not ("strata-backup" or "strata-exec" or "strata-control-plane-files"))
        {
            var id = System.Text.Json.Nodes.JsonNode.Parse(output)!["id"]!.GetValue<string>();
            var r = await world.RestoreAsync(id);
            lines.Add($"restore {r.Code}");
            lines.AddRange(Forbidden(r.Out + r.Error));
            var d = await world.DrillAsync();
            lines.Add($"drill {d.Code} {(d.Code == 0 ? System.Text.Json.Nodes.JsonNode.Parse(d.Out)!["status"] : "")}");
            lines.AddRange(Forbidden(d.Out + d.Error));
        }

        File.WriteAllLines($"/tmp/rbac/explore-{role}-{index}.txt", lines);
        File.WriteAllText($"/tmp/rbac/full-{role}-{index}.txt", All.ToString());
    }

    private static readonly System.Text.StringBuilder All = new();

    private static IEnumerable<string> Forbidden(string text)
    {
        All.AppendLine(text);
        text = text.Replace("\\u0022", "\"", StringComparison.Ordinal);
        return Forbidden2(text);
    }

    private static IEnumerable<string> Forbidden2(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "cannot [a-z]+ resource \\\\?\"[^\"\\\\]+\\\\?\"( in API group \\\\?\"[^\"\\\\]*\\\\?\")?").Select(m => "  " + m.Value).Distinct();
}
