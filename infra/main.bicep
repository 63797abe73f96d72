// Strata's control plane in one resource group: the Functions app (Flex Consumption, custom handler) with a
// user-assigned identity, the artifact account (RA-GZRS, write-once backups, run history, strata.yaml), the
// Functions runtime account, Service Bus with the pipeline's queues, Key Vault, Log Analytics + Application
// Insights, and the identity's role assignments — each the narrowest built-in role at the narrowest scope.
//
//   az deployment group what-if -g RG -f infra/main.bicep -p infra/main.prod.bicepparam
//   az deployment group create  -g RG -f infra/main.bicep -p infra/main.prod.bicepparam
//
// docs/deploy.md walks through it. Nothing here holds or outputs a key: every connection is the identity's.

targetScope = 'resourceGroup'

import { queue } from 'modules/service-bus.bicep'

@description('An AKS cluster Strata backs up or restores into, and the data-plane role its identity gets there.')
type aksCluster = {
  @description('The cluster\'s resource name.')
  name: string

  @description('Its resource group.')
  resourceGroup: string

  @description('Its subscription; default: this deployment\'s.')
  subscriptionId: string?

  @description('The AKS data-plane role; default Azure Kubernetes Service RBAC Reader (see docs/deploy.md, "Adding a cluster").')
  role: (
    | 'Azure Kubernetes Service RBAC Reader'
    | 'Azure Kubernetes Service RBAC Writer'
    | 'Azure Kubernetes Service RBAC Admin'
    | 'Azure Kubernetes Service RBAC Cluster Admin')?
}

@minLength(3)
@maxLength(11)
@description('Short lowercase name every resource name starts with, e.g. "strataprod": letters and digits, starting with a letter (Key Vault and Service Bus names must).')
param name string

@description('Azure region of every resource (one where Flex Consumption is offered: az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@minValue(1)
@maxValue(146000)
@description('Days each backup blob version is kept write-once (the artifact container\'s default immutability policy). Once the policy is locked it can be lengthened, never shortened: choose deliberately.')
param artifactRetentionDays int

@description('Set to true once the artifact container\'s retention policy is locked (docs/deploy.md): the deployment then leaves the policy alone, since a locked policy can only be extended (az storage container immutability-policy extend), not re-created.')
param artifactRetentionLocked bool = false

@description('AKS clusters Strata reaches with its identity (Entra ID tokens, Azure RBAC for Kubernetes authorization). Empty when every cluster uses a token from Key Vault.')
param aksClusters aksCluster[]

@description('True when a policy in strata.yaml sets writeOnceDays: Strata then sets each blob\'s own immutability policy at commit, which needs Storage Blob Data Owner on the artifact container instead of Contributor.')
param perPolicyWriteOnce bool = false

@minValue(1)
@maxValue(365)
@description('Days deleted blobs and containers of the artifact account stay recoverable.')
param softDeleteDays int = 30

@minValue(7)
@maxValue(90)
@description('Days a deleted Key Vault, key or secret stays recoverable (purge protection keeps it that long).')
param keyVaultSoftDeleteDays int = 90

@description('Create the key-encryption key strata-kek and the signing key strata-signing in Key Vault.')
param createKeys bool = true

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps logs.')
param logRetentionDays int = 90

@allowed(['Standard', 'Premium'])
@description('Service Bus tier: Standard, or Premium for private endpoints.')
param serviceBusSku string = 'Standard'

@allowed(['Enabled', 'Disabled'])
@description('Public network access of the storage accounts, Key Vault and Service Bus. Disabled needs private endpoints (not created here), VNet integration and serviceBusSku Premium.')
param publicNetworkAccess string = 'Enabled'

@description('Resource id of an existing subnet delegated to Microsoft.App/environments for VNet integration (to reach private API servers and databases), or empty for none.')
param subnetId string = ''

@allowed([512, 2048, 4096])
@description('Memory per Functions instance, MB. 2048: a backup streams (about 40 MiB per upload) but large clusters\' object lists and dumps want headroom.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Most instances the app scales out to.')
param maximumInstanceCount int = 40

@description('Client id of the Entra ID app registration for App Service Authentication (app roles Strata.Requester, Strata.Operator), or empty for function keys only.')
param authClientId string = ''

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('Audiences a caller\'s bearer token may carry; default api://CLIENT-ID.')
param authAudiences string[] = empty(authClientId) ? [] : ['api://${authClientId}']

@minValue(1)
@description('Seconds a cluster\'s API server may stay unreachable mid-run before the run fails (STRATA_OUTAGE_BUDGET).')
param outageBudgetSeconds int = 120

@description('Table names start with this (STRATA_HISTORY\'s TABLEPREFIX).')
param tablePrefix string = 'Strata'

@description('Tags for every resource.')
param tags object = {}

// Strata.Core.ControlPlane.Queues, with how each is used (FunctionCatalog: strata-events has no consumer).
// maxDeliveryCount: every delivery of a backup, drill or restore can hold an instance for up to functionTimeout
// (30 min), so long-work queues give up sooner than the default 10 and leave the message in the dead-letter queue
// for a person; alerts are short and retried through a webhook's outage. Time to live: a scheduled request a day
// old is superseded by the next tick, so it expires to the dead-letter queue rather than running late; events are
// for other systems, which may be down longer.
var queues queue[] = [
  { name: 'strata-backups', consumed: true, maxDeliveryCount: 5, timeToLive: 'P1D' }
  { name: 'strata-verifications', consumed: true, maxDeliveryCount: 5, timeToLive: 'P1D' }
  // A restore writes into a cluster: after three failed tries a person looks, instead of it being re-applied.
  { name: 'strata-restores', consumed: true, maxDeliveryCount: 3, timeToLive: 'P1D' }
  { name: 'strata-alerts', consumed: true, maxDeliveryCount: 10, timeToLive: 'P1D' }
  { name: 'strata-events', consumed: false, maxDeliveryCount: 10, timeToLive: 'P7D' }
]

// TableRunHistory ({prefix}Backups, {prefix}Restores, {prefix}Drills) and TableControlState ({prefix}Control).
var historyTables = ['Backups', 'Restores', 'Drills', 'Control']

var suffix = take(uniqueString(resourceGroup().id, name), 8)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-identity'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
    logRetentionDays: logRetentionDays
    identityId: identity.id
    principalId: identity.properties.principalId
    tags: tags
  }
}

module artifacts 'modules/artifacts.bicep' = {
  name: 'artifacts'
  params: {
    accountName: '${name}art${suffix}'
    location: location
    artifactContainer: 'backups'
    configContainer: 'config'
    retentionDays: artifactRetentionDays
    retentionLocked: artifactRetentionLocked
    softDeleteDays: softDeleteDays
    tablePrefix: tablePrefix
    historyTables: historyTables
    publicNetworkAccess: publicNetworkAccess
    identityId: identity.id
    principalId: identity.properties.principalId
    artifactRole: perPolicyWriteOnce ? 'Storage Blob Data Owner' : 'Storage Blob Data Contributor'
    tags: tags
  }
}

module runtime 'modules/runtime-storage.bicep' = {
  name: 'runtime-storage'
  params: {
    accountName: '${name}fn${suffix}'
    location: location
    deploymentContainer: 'app-package'
    publicNetworkAccess: publicNetworkAccess
    identityId: identity.id
    principalId: identity.properties.principalId
    tags: tags
  }
}

// Standard Service Bus has no private endpoints: with public access off, nothing could reach its namespace and every queue
// would stall. Parameters cannot be checked against each other before deployment, so the namespace's setting goes
// through fail(): the deployment stops at validation, before creating anything, and says why.
var serviceBusNetworkAccess = serviceBusSku == 'Standard' && publicNetworkAccess == 'Disabled'
  ? fail('publicNetworkAccess \'Disabled\' needs serviceBusSku \'Premium\': a Standard Service Bus namespace has no private endpoints, so with public access off nothing could reach it')
  : publicNetworkAccess

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  params: {
    namespaceName: '${name}-bus-${suffix}'
    location: location
    sku: serviceBusSku
    queues: queues
    publicNetworkAccess: serviceBusNetworkAccess
    identityId: identity.id
    principalId: identity.properties.principalId
    tags: tags
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    vaultName: '${name}-kv-${take(suffix, 6)}'
    location: location
    softDeleteDays: keyVaultSoftDeleteDays
    createKeys: createKeys
    publicNetworkAccess: publicNetworkAccess
    identityId: identity.id
    principalId: identity.properties.principalId
    tags: tags
  }
}

module clusters 'modules/aks-access.bicep' = [
  for cluster in aksClusters: {
    name: take('aks-${cluster.name}', 64)
    scope: resourceGroup(cluster.?subscriptionId ?? subscription().subscriptionId, cluster.resourceGroup)
    params: {
      clusterName: cluster.name
      role: cluster.?role ?? 'Azure Kubernetes Service RBAC Reader'
      identityId: identity.id
      principalId: identity.properties.principalId
    }
  }
]

// The settings the handler reads (Strata.Functions.AppSettings lists them; a test checks they are all here).
var strataSettings = {
  STRATA_STORE: artifacts.outputs.store
  STRATA_HISTORY: artifacts.outputs.history
  STRATA_CONFIG: artifacts.outputs.config
  // App roles are required exactly when App Service Authentication is configured (RequestAuthorization).
  STRATA_REQUIRE_APP_ROLES: empty(authClientId) ? 'false' : 'true'
  STRATA_OUTAGE_BUDGET: string(outageBudgetSeconds)
}

module app 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    appName: '${name}-func-${suffix}'
    location: location
    identityId: identity.id
    identityClientId: identity.properties.clientId
    runtimeAccountName: runtime.outputs.accountName
    deploymentContainerUrl: runtime.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    subnetId: subnetId
    strataSettings: strataSettings
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    insightsConnectionString: monitoring.outputs.connectionString
    authClientId: authClientId
    authTenantId: authTenantId
    authAudiences: authAudiences
    tags: tags
  }
}

@description('The Functions app\'s URL (HTTP functions under /api).')
output appUrl string = app.outputs.url

@description('The Functions app\'s name (for az functionapp deployment / keys).')
output appName string = app.outputs.name

@description('export STRATA_STORE=… for the CLI.')
output STRATA_STORE string = artifacts.outputs.store

@description('export STRATA_HISTORY=… for the CLI.')
output STRATA_HISTORY string = artifacts.outputs.history

@description('export STRATA_CONFIG=… for the CLI (upload strata.yaml there).')
output STRATA_CONFIG string = artifacts.outputs.config

@description('export STRATA_SERVICE_BUS=… for the CLI (strata … --remote, strata run --service-bus).')
output STRATA_SERVICE_BUS string = serviceBus.outputs.fullyQualifiedNamespace

@description('The artifact storage account.')
output artifactAccount string = artifacts.outputs.accountName

@description('The Key Vault\'s name (strata.yaml keyVault.vault).')
output keyVaultName string = keyVault.outputs.name

@description('Client id of the app\'s identity (AZURE_CLIENT_ID).')
output identityClientId string = identity.properties.clientId

@description('Principal (object) id of the app\'s identity: the subject of Kubernetes RBAC bindings on AKS.')
output identityPrincipalId string = identity.properties.principalId

@description('API server of each AKS cluster, for strata.yaml (server:).')
output aksServers array = [for (cluster, i) in aksClusters: { name: cluster.name, server: clusters[i].outputs.server }]
