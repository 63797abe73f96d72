// Log Analytics and a workspace-based Application Insights. Local (instrumentation-key) authentication is off: the
// app sends telemetry with its managed identity (Monitoring Metrics Publisher on the component), so the connection
// string in the app settings is an address, not a credential.

import { builtInRoles } from 'roles.bicep'

@description('Name prefix of the resources.')
param name string

@description('Azure region.')
param location string

@description('Days Log Analytics keeps logs.')
param logRetentionDays int

@description('Resource id of the identity that sends telemetry (role assignment names: known before deployment).')
param identityId string

@description('Principal id of the identity that sends telemetry.')
param principalId string

@description('Tags for every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
    features: { disableLocalAuth: true }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identityId, 'Monitoring Metrics Publisher')
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Monitoring Metrics Publisher'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Application Insights connection string: the ingestion endpoint and the component id, not a credential.')
output connectionString string = insights.properties.ConnectionString
