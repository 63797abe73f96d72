// Production values for infra/main.bicep. Lines marked PLACEHOLDER name things only you know: replace them before
// deploying (what-if first: docs/deploy.md). Everything else is a sensible production default.
using 'main.bicep'

// PLACEHOLDER: a short lowercase name for this installation (3-11 letters and digits); every resource name starts with it.
param name = 'strataprod'

// Write-once retention of every backup blob version, in days. 35 keeps five weekly fulls plus a margin; regulated
// data often needs years. Once the container policy is locked it can only be lengthened.
param artifactRetentionDays = 35

// After `az storage container immutability-policy lock` (docs/deploy.md), set this to true: a locked policy can only
// be extended, so re-deployments must leave it alone.
param artifactRetentionLocked = false

// PLACEHOLDER: the AKS clusters Strata signs in to with its identity (or [] if every cluster uses a token from Key
// Vault). A cluster listed here must exist: the deployment fails naming it otherwise.
param aksClusters = [
  {
    name: 'aks-prod-weu'
    resourceGroup: 'rg-aks-prod-weu'
    role: 'Azure Kubernetes Service RBAC Reader'
  }
  {
    name: 'aks-dr-neu'
    resourceGroup: 'rg-aks-dr-neu'
    // Restores and drills land here: namespaced writes (Kubernetes RBAC from infra/kubernetes does the rest).
    role: 'Azure Kubernetes Service RBAC Writer'
  }
]

// No policy in strata.yaml sets writeOnceDays: the container's default retention locks every version, so the app
// needs only Storage Blob Data Contributor on the artifact container.
param perPolicyWriteOnce = false

param softDeleteDays = 30
param keyVaultSoftDeleteDays = 90
param logRetentionDays = 90
param serviceBusSku = 'Standard'
param publicNetworkAccess = 'Enabled'

// PLACEHOLDER: for private API servers, the resource id of a subnet (delegated to Microsoft.App/environments) in a
// VNet that reaches them, e.g. '/subscriptions/SUB/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/hub/subnets/strata'.
param subnetId = ''

param instanceMemoryMB = 2048
param maximumInstanceCount = 40

// PLACEHOLDER: the client id of the app registration App Service Authentication uses (app roles Strata.Requester
// and Strata.Operator), or '' for function keys only.
param authClientId = ''

param outageBudgetSeconds = 120

param tags = {
  app: 'strata'
  environment: 'prod'
}
