// The artifact account: backups (write-once), run history (tables) and strata.yaml. RA-GZRS so a regional outage
// loses no committed backup and the store stays readable from the secondary (BlobArtifactStore falls back to it).
// History sits beside the artifacts on purpose: after a region is lost, the backups and the record of which ones were
// verified are in the same place.

import { builtInRoles } from 'roles.bicep'

@description('Storage account name (3-24 lowercase letters and digits).')
param accountName string

@description('Azure region.')
param location string

@description('Container of the backups.')
param artifactContainer string

@description('Container of strata.yaml.')
param configContainer string

@description('Days every new blob version in the artifact container is kept write-once (the container default).')
param retentionDays int

@description('The default retention policy has been locked: leave it alone (a locked policy cannot be updated in place).')
param retentionLocked bool

@description('Days deleted blobs and containers stay recoverable.')
param softDeleteDays int

@description('Table names start with this (StoreLocation\'s TABLEPREFIX).')
param tablePrefix string

@description('The history adapters\' tables, without the prefix.')
param historyTables string[]

@description('Enabled, or Disabled for private endpoints only.')
param publicNetworkAccess string

@description('Resource id of the app\'s identity (role assignment names: known before deployment, so what-if is exact).')
param identityId string

@description('Principal id of the app\'s identity.')
param principalId string

@description('The role the app gets on the artifact container.')
param artifactRole string

@description('Tags for every resource.')
param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_RAGZRS' }
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
  properties: {
    // Version-level immutability needs versioning; a replaced or deleted version stays as a previous version.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
  }
}

resource artifacts 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: artifactContainer
  properties: {
    publicAccess: 'None'
    // WORM per blob version: each version is locked by its own retain-until date (the default below, or the one a
    // policy's writeOnceDays sets at commit). Can only be enabled when the container is created.
    immutableStorageWithVersioning: { enabled: true }
  }
}

// The container's default version-level policy: every new version is kept retentionDays from its creation. It is
// created unlocked; once locked (docs/deploy.md) it can be lengthened but never shortened or removed, and this
// resource (create or update of an unlocked policy) must be skipped: retentionLocked.
resource retention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (!retentionLocked) {
  parent: artifacts
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: retentionDays
    allowProtectedAppendWrites: false
  }
}

// strata.yaml: versioned (every edit kept), not write-once (it is edited).
resource config 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: configContainer
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// Created here so the first run does not need table-create rights it would otherwise use only once.
resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in historyTables: {
    parent: tableService
    name: '${tablePrefix}${table}'
  }
]

// The artifact container only, not the account: the identity cannot touch strata.yaml or anything else stored here.
resource artifactAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(artifacts.id, identityId, artifactRole)
  scope: artifacts
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[artifactRole])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Read only: the app never writes its own configuration.
resource configAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(config.id, identityId, 'Storage Blob Data Reader')
  scope: config
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Storage Blob Data Reader'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// The table service, not each table: the history adapters call Create Table (if not exists) on first use, a request
// to the service (POST /Tables) rather than to a table; and this account holds no tables but Strata's.
resource historyAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(tableService.id, identityId, 'Storage Table Data Contributor')
  scope: tableService
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Storage Table Data Contributor'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('STRATA_STORE: https://ACCOUNT.blob.SUFFIX/CONTAINER.')
output store string = '${account.properties.primaryEndpoints.blob}${artifacts.name}'

@description('STRATA_HISTORY: https://ACCOUNT.table.SUFFIX/PREFIX.')
output history string = '${account.properties.primaryEndpoints.table}${tablePrefix}'

@description('STRATA_CONFIG: the blob URL of strata.yaml.')
output config string = '${account.properties.primaryEndpoints.blob}${config.name}/strata.yaml'

@description('The account name.')
output accountName string = account.name
