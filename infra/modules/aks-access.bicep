// One AKS cluster's data-plane role for Strata's identity ("Azure RBAC for Kubernetes authorization"; the cluster
// must have it enabled, with managed Entra ID integration). The cluster is an `existing` reference: a cluster that is
// not there fails the deployment with ResourceNotFound naming it, before anything is assigned.

import { builtInRoles } from 'roles.bicep'

@description('The AKS cluster\'s name (in this module\'s resource group).')
param clusterName string

@allowed([
  'Azure Kubernetes Service RBAC Reader'
  'Azure Kubernetes Service RBAC Writer'
  'Azure Kubernetes Service RBAC Admin'
  'Azure Kubernetes Service RBAC Cluster Admin'
])
@description('The AKS data-plane role.')
param role string

@description('Resource id of the app\'s identity (role assignment names: known before deployment, so what-if is exact).')
param identityId string

@description('Principal id of the app\'s identity.')
param principalId string

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, identityId, role)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[role])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The API server\'s address for strata.yaml (server: https://FQDN:443); reading it fails clearly for a missing cluster.')
output server string = 'https://${cluster.properties.?fqdn ?? cluster.properties.?privateFQDN ?? ''}:443'
