// The Functions app on Flex Consumption (Linux; Flex runs Linux only): the custom handler `Strata.Functions`
// published self-contained for linux-x64 with host.json and one folder per function (docs/deploy.md). Runtime and
// scale live in functionAppConfig; FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not set on Flex
// (the platform sets them from functionAppConfig.runtime). Every connection is identity-based: the app settings hold
// addresses and the identity's client id, never a key.

@description('The app\'s name (globally unique: NAME.azurewebsites.net).')
param appName string

@description('Azure region.')
param location string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('The runtime account (AzureWebJobsStorage).')
param runtimeAccountName string

@description('URL of the deployment container on the runtime account.')
param deploymentContainerUrl string

@allowed([512, 2048, 4096])
@description('Memory per instance, MB.')
param instanceMemoryMB int

@minValue(40)
@maxValue(1000)
@description('Most instances the app scales out to.')
param maximumInstanceCount int

@description('Subnet id for VNet integration (delegated to Microsoft.App/environments), or empty for none.')
param subnetId string

@description('App settings the handler reads (name to value).')
param strataSettings object

@description('Service Bus namespace host name.')
param serviceBusNamespace string

@description('Application Insights connection string.')
param insightsConnectionString string

@description('Client id of the Entra ID app registration for App Service Authentication, or empty for function keys only.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@description('Audiences a bearer token may carry.')
param authAudiences string[]

@description('Tags for every resource.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${appName}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// The Functions host's own settings (storage, Service Bus bindings, telemetry), all through the identity.
var hostSettings = {
  AzureWebJobsStorage__accountName: runtimeAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // The Service Bus trigger's and output binding's connection ("connection": "StrataServiceBus" in function.json).
  StrataServiceBus__fullyQualifiedNamespace: serviceBusNamespace
  StrataServiceBus__credential: 'managedidentity'
  StrataServiceBus__clientId: identityClientId
  // Not a secret: the ingestion endpoint and component id. Local auth is off, so telemetry needs the token below.
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // DefaultAzureCredential (the handler's Blob, Table and Key Vault clients) picks the user-assigned identity by it.
  AZURE_CLIENT_ID: identityClientId
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    // Only what Flex Consumption accepts: ftpsState, alwaysOn, linuxFxVersion, functionAppScaleLimit and the like are
    // rejected or moved to functionAppConfig there ("Flex Consumption plan deprecations").
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(union(hostSettings, strataSettings)): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Custom handlers on Flex: runtime "custom", version "1.0" (the Flex Consumption stack list).
      runtime: { name: 'custom', version: '1.0' }
    }
  }
}

// App Service Authentication validates Entra ID bearer tokens and hands the handler X-MS-CLIENT-PRINCIPAL, from which
// it checks app roles (docs/hosting.md, "Authorizing HTTP requests"). Unauthenticated requests are let through: the
// handler answers 401 itself where a role is needed, and status (function key only) and health stay reachable.
// Token validation needs no client secret.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
      excludedPaths: ['/api/health']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: authAudiences
        }
      }
    }
  }
}

@description('The app\'s URL.')
output url string = 'https://${app.properties.defaultHostName}'

@description('The app\'s name.')
output name string = app.name
