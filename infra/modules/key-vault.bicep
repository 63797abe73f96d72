// Key Vault for cluster tokens, webhook URLs and database passwords (secrets, referenced from strata.yaml as
// {keyVault: {vault, secret}}) and the keys that wrap backups' data keys and sign manifests (docs/encryption.md).
// RBAC mode (no access policies) and purge protection: a deleted vault or key stays recoverable for
// softDeleteRetentionInDays and cannot be purged sooner, so no one can destroy the key every encrypted backup needs.

import { builtInRoles } from 'roles.bicep'

@description('Vault name (3-24 letters, digits and hyphens).')
param vaultName string

@description('Azure region.')
param location string

@description('Days a deleted vault, secret or key stays recoverable (7-90; cannot be changed later).')
param softDeleteDays int

@description('Create the key-encryption key (RSA 3072, wrapKey/unwrapKey) and the signing key (EC P-256, sign/verify).')
param createKeys bool

@description('Enabled, or Disabled for private endpoints only.')
param publicNetworkAccess string

@description('Resource id of the app\'s identity (role assignment names: known before deployment, so what-if is exact).')
param identityId string

@description('Principal id of the app\'s identity.')
param principalId string

@description('Tags for every resource.')
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteDays
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

// strata.yaml: encryption.keys: [{keyVault: {vault: VAULT, key: strata-kek}}] (RSA-OAEP-256).
resource kek 'Microsoft.KeyVault/vaults/keys@2023-07-01' = if (createKeys) {
  parent: vault
  name: 'strata-kek'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: ['wrapKey', 'unwrapKey']
  }
}

// strata.yaml: encryption.signing: {keyVault: {vault: VAULT, key: strata-signing}} (ES256).
resource signing 'Microsoft.KeyVault/vaults/keys@2023-07-01' = if (createKeys) {
  parent: vault
  name: 'strata-signing'
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: ['sign', 'verify']
  }
}

// Secrets are added by operators after deployment (docs/deploy.md), so the read role is on the vault.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityId, 'Key Vault Secrets User')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Key Vault Secrets User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Crypto use on the vault: the keys named in strata.yaml may be ones this template did not create (createKeys false,
// or keys rotated in by operators), and the role cannot create, export or delete keys.
resource cryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityId, 'Key Vault Crypto User')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Key Vault Crypto User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The vault name (strata.yaml keyVault.vault).')
output name string = vault.name

@description('The vault URI.')
output uri string = vault.properties.vaultUri
