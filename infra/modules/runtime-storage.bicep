// The Functions runtime's own account (AzureWebJobsStorage: host keys, timer leases, diagnostics) and the Flex
// Consumption deployment container. Kept apart from the artifact account so the host's read/write needs never widen
// what can touch backups, and so the runtime account can be locally redundant and cheap.

import { builtInRoles } from 'roles.bicep'

@description('Storage account name (3-24 lowercase letters and digits).')
param accountName string

@description('Azure region.')
param location string

@description('Container the deployment package is uploaded to.')
param deploymentContainer string

@description('Enabled, or Disabled for private endpoints only.')
param publicNetworkAccess string

@description('Resource id of the app\'s identity (role assignment names: known before deployment, so what-if is exact).')
param identityId string

@description('Principal id of the app\'s identity.')
param principalId string

@description('Tags for every resource.')
param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

// The host creates its own containers (azure-webjobs-hosts, azure-webjobs-secrets) and takes blob leases for timer
// singletons, and Flex reads the package from the deployment container: Storage Blob Data Owner on this account, the
// role the Functions documentation names for identity-based host storage.
resource hostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityId, 'Storage Blob Data Owner')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Storage Blob Data Owner'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The host writes its diagnostic events to tables in AzureWebJobsStorage. No queue role: the app has no blob or
// storage-queue triggers (its triggers are timers and Service Bus).
resource hostTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityId, 'Storage Table Data Contributor')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Storage Table Data Contributor'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The account name (AzureWebJobsStorage__accountName).')
output accountName string = account.name

@description('The deployment container URL (functionAppConfig.deployment.storage.value).')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deployment.name}'
