namespace Strata.Core.Coverage;

/// <summary>A database operator's custom resource (a row of <see cref="DatabaseOperators.Table"/>).</summary>
/// <param name="Group">The CRD's API group.</param>
/// <param name="Resource">Its plural resource name.</param>
/// <param name="Product">The operator and engine, in words (<c>CloudNativePG PostgreSQL</c>).</param>
/// <param name="Engine">The database it runs, in <see cref="DatabaseImage.Engine"/>'s words (<c>PostgreSQL</c>, <c>MongoDB</c>): which <c>databases:</c> targets can dump it.</param>
/// <param name="InstanceLabel">The label the operator puts on the database's pods and claims, valued with the resource's name.</param>
/// <param name="Reason">Why it holds state, and how Strata can protect it.</param>
public sealed record DatabaseOperator(string Group, string Resource, string Product, string Engine, string InstanceLabel, string Reason)
{
    /// <summary>True for CloudNativePG, which a policy's <c>cloudNativePG:</c> targets back up through the operator.</summary>
    public bool IsCloudNativePg => Group == Databases.CloudNativePg.CloudNativePgApi.Group;

    /// <summary>For messages: <c>clusters.postgresql.cnpg.io</c>.</summary>
    public string Qualified => $"{Resource}.{Group}";
}
