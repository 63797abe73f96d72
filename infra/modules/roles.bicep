// Built-in Azure role definitions Strata's identity is given, by name. Each GUID is the role's fixed id, the same in
// every tenant ("Azure built-in roles"); a role is referred to by its name everywhere else in these templates.

@export()
@description('Built-in role definition ids (GUIDs), by role name.')
var builtInRoles = {
  // Read, write and delete blobs of the containers it is scoped to (artifacts: write-once commits, retention deletes).
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // Contributor plus setting and removing blob immutability policies (immutableStorage/runAsSuperUser/action), which
  // a policy's writeOnceDays needs; and what the Functions host needs on its own runtime account.
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Read blobs only: strata.yaml, which the app reads and never writes.
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  // Read, write and delete entities (run history, control state) and create tables.
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  // Read secret values (cluster tokens, webhook URLs); cannot list, write or delete them.
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6'
  // Use keys (wrapKey, unwrapKey, sign, verify); cannot create, delete or export them.
  'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424'
  // Send telemetry to Application Insights with an Entra ID token (local authentication is off).
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb'
  // The four AKS data-plane roles ("Azure RBAC for Kubernetes authorization"), narrowest first.
  'Azure Kubernetes Service RBAC Reader': '7f6c6a51-bcf8-42ba-9220-52d62157d7db'
  'Azure Kubernetes Service RBAC Writer': 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb'
  'Azure Kubernetes Service RBAC Admin': '3498e952-d568-435e-9b2c-8d77e338d7f7'
  'Azure Kubernetes Service RBAC Cluster Admin': 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
}
