using System.Text.RegularExpressions;

namespace Strata.Infra.Tests;

/// <summary>
/// Every role assignment of the deployment: the identity's, a built-in role by its fixed id, at the scope the issue
/// asks for — the artifact container (not the account), each queue, the vault, each AKS cluster as an existing
/// resource — and no assignment beyond this list.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class RoleAssignmentTests(CompiledInfra compiled)
{
    // The built-in roles' ids as Azure publishes them ("Azure built-in roles"): a typo in infra/modules/roles.bicep fails here.
    private static readonly Dictionary<string, string> KnownRoles = new()
    {
        ["Storage Blob Data Contributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Blob Data Reader"] = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Azure Service Bus Data Sender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["Azure Service Bus Data Receiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["Key Vault Secrets User"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["Key Vault Crypto User"] = "12338af0-0e69-4776-bea7-57ae8d297424",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
        ["Azure Kubernetes Service RBAC Reader"] = "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
        ["Azure Kubernetes Service RBAC Writer"] = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
        ["Azure Kubernetes Service RBAC Admin"] = "3498e952-d568-435e-9b2c-8d77e338d7f7",
        ["Azure Kubernetes Service RBAC Cluster Admin"] = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    };

    // (module, assignment) → the role (or the parameter choosing it) and the resource type of its scope.
    public static TheoryData<string, string, string, string> Expected => new()
    {
        { "artifacts", "artifactAccess", "param:artifactRole", "Microsoft.Storage/storageAccounts/blobServices/containers" },
        { "artifacts", "configAccess", "Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers" },
        { "artifacts", "historyAccess", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts/tableServices" },
        { "runtime", "hostBlobs", "Storage Blob Data Owner", "Microsoft.Storage/storageAccounts" },
        { "runtime", "hostTables", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts" },
        { "serviceBus", "senders", "Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces/queues" },
        { "serviceBus", "receivers", "Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces/queues" },
        { "keyVault", "secretsUser", "Key Vault Secrets User", "Microsoft.KeyVault/vaults" },
        { "keyVault", "cryptoUser", "Key Vault Crypto User", "Microsoft.KeyVault/vaults" },
        { "monitoring", "publisher", "Monitoring Metrics Publisher", "Microsoft.Insights/components" },
        { "clusters", "access", "param:role", "Microsoft.ContainerService/managedClusters" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void RoleAssignment_IsTheNarrowestBuiltInRoleAtItsScope(string module, string assignment, string role, string scopeType)
    {
        var template = compiled.Main.Module(module);
        var resource = template.Resource(assignment);

        Assert.Equal("Microsoft.Authorization/roleAssignments", (string?)resource["type"]);
        Assert.Equal(scopeType, ScopeType().Match((string)resource["scope"]!).Groups["type"].Value);
        var definition = RoleReference().Match((string)resource["properties"]!["roleDefinitionId"]!);
        Assert.True(definition.Success, $"{module}/{assignment}: roleDefinitionId is not a builtInRoles entry");
        Assert.Equal(role, definition.Groups["name"].Success ? definition.Groups["name"].Value : "param:" + definition.Groups["param"].Value);
        Assert.Equal("ServicePrincipal", (string?)resource["properties"]!["principalType"]);
        Assert.Equal("[parameters('principalId')]", (string?)resource["properties"]!["principalId"]);
        Assert.Equal("[reference('identity').principalId]", compiled.Main.ModuleArgument(module, "principalId"));
    }

    [Fact]
    public void RoleAssignments_NoneBeyondTheExpected()
    {
        var expected = Expected.Select(row => $"main/{row[0]}/{row[1]}").ToHashSet();
        var found = compiled.Main.All()
            .SelectMany(t => t.Template.OfType("Microsoft.Authorization/roleAssignments").Select(r => $"{t.Path}/{r.Name}"))
            .ToHashSet();

        Assert.Equal(expected.Order(), found.Order());
    }

    [Fact]
    public void BuiltInRoles_AreAzuresIds()
    {
        foreach (var (path, template) in compiled.Main.All().Where(t => t.Template.Variables.ContainsKey("builtInRoles")))
        {
            var roles = template.Variables["builtInRoles"]!.AsObject().ToDictionary(r => r.Key, r => (string)r.Value!);
            Assert.True(roles.Count == KnownRoles.Count && !roles.Except(KnownRoles).Any(), $"{path}: builtInRoles differ from Azure's ids");
        }
    }

    [Fact]
    public void ArtifactRole_ContributorUnlessPoliciesSetTheirOwnWriteOnce()
    {
        // Storage Blob Data Owner only when strata.yaml's writeOnceDays makes Strata set blob immutability policies itself.
        Assert.Equal(
            "[if(parameters('perPolicyWriteOnce'), createObject('value', 'Storage Blob Data Owner'), createObject('value', 'Storage Blob Data Contributor'))]",
            compiled.Main.ModuleArgument("artifacts", "artifactRole"));
        Assert.False((bool)compiled.Main.Parameters["perPolicyWriteOnce"]!["defaultValue"]!);
    }

    [Fact]
    public void ServiceBusRoles_ReceiverOnlyOnConsumedQueues()
    {
        Assert.Equal("[parameters('queues')[copyIndex()].consumed]", (string?)compiled.Main.Module("serviceBus").Resource("receivers")["condition"]);
        Assert.Null(compiled.Main.Module("serviceBus").Resource("senders")["condition"]);
    }

    [Fact]
    public void AksClusters_ExistingReferencesInTheirOwnResourceGroupWithReaderByDefault()
    {
        var module = compiled.Main.Resource("clusters");
        Assert.Equal("[length(parameters('aksClusters'))]", (string?)module["copy"]!["count"]);
        Assert.Equal("[parameters('aksClusters')[copyIndex()].resourceGroup]", (string?)module["resourceGroup"]);
        Assert.Equal("[coalesce(tryGet(parameters('aksClusters')[copyIndex()], 'role'), 'Azure Kubernetes Service RBAC Reader')]", compiled.Main.ModuleArgument("clusters", "role"));

        // `existing`: the deployment fails with ResourceNotFound naming a cluster that is not there; the output reads it.
        var access = compiled.Main.Module("clusters");
        var cluster = access.Resource("cluster");
        Assert.True((bool)cluster["existing"]!);
        Assert.Equal("Microsoft.ContainerService/managedClusters", (string?)cluster["type"]);
        Assert.Contains("reference('cluster')", (string)access.Outputs["server"]!["value"]!, StringComparison.Ordinal);
        Assert.Equal(KnownRoles.Keys.Where(k => k.StartsWith("Azure Kubernetes", StringComparison.Ordinal)).Order(),
            access.Parameters["role"]!["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
    }

    [GeneratedRegex(@"^\[(?:extensionResourceId\(|resourceId\()'(?<type>[^']+)'")]
    private static partial Regex ScopeType();

    [GeneratedRegex(@"variables\('builtInRoles'\)\[(?:'(?<name>[^']+)'|parameters\('(?<param>\w+)'\))\]")]
    private static partial Regex RoleReference();
}
