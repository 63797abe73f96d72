// The Service Bus namespace and Strata's five queues. Standard tier: duplicate detection needs Standard or Premium.
// Local (SAS key) authentication is off: senders and receivers sign in with Entra ID.

import { builtInRoles } from 'roles.bicep'

@export()
@description('A queue and how it is used.')
type queue = {
  @description('Queue name (Strata.Core.ControlPlane.Queues).')
  name: string

  @description('A function of the app consumes it (Azure Service Bus Data Receiver on it).')
  consumed: bool

  @description('Deliveries before a message is dead-lettered.')
  maxDeliveryCount: int

  @description('ISO 8601 time a message may wait before it expires (and is dead-lettered).')
  timeToLive: string
}

@description('Namespace name (6-50 letters, digits and hyphens).')
param namespaceName string

@description('Azure region.')
param location string

@allowed(['Standard', 'Premium'])
@description('Standard, or Premium for private endpoints and isolation.')
param sku string

@description('The queues.')
param queues queue[]

@description('Enabled, or Disabled for private endpoints only (Premium).')
param publicNetworkAccess string

@description('Resource id of the app\'s identity (role assignment names: known before deployment, so what-if is exact).')
param identityId string

@description('Principal id of the app\'s identity.')
param principalId string

@description('Tags for every resource.')
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: sku, tier: sku }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess
  }
}

resource queueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for q in queues: {
    parent: namespace
    name: q.name
    properties: {
      // Message ids are idempotency keys (a scheduled backup's id derives from policy, cluster and scheduled time;
      // `strata … --remote` and `strata run --service-bus` set MessageId to the envelope id): a resend within the
      // window is dropped by the queue. The window equals the time to live, so a duplicate of any message that could
      // still be waiting is caught; the workers' derived ids catch the rest. Cannot be changed after creation.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: q.timeToLive
      defaultMessageTimeToLive: q.timeToLive
      // An expired request is kept for people to see (and replay), not dropped.
      deadLetteringOnMessageExpiration: true
      // Five minutes is the longest lock Service Bus allows. A backup runs up to host.json's functionTimeout (30 min);
      // the host renews the lock for up to maxAutoLockRenewalDuration (30 min), so a long backup keeps its message,
      // and the longest lock means the fewest renewals and a crashed instance's message back within 5 minutes.
      lockDuration: 'PT5M'
      maxDeliveryCount: q.maxDeliveryCount
      requiresSession: false
      enablePartitioning: false
      enableBatchedOperations: true
      maxSizeInMegabytes: 1024
    }
  }
]

// Sender on every queue (each is sent to by some function or by `strata … --remote`), scoped to the queue.
resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (q, i) in queues: {
    name: guid(queueResources[i].id, identityId, 'Azure Service Bus Data Sender')
    scope: queueResources[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Azure Service Bus Data Sender'])
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Receiver only on the queues a function consumes (strata-events is for other systems). Not Data Owner: the Service
// Bus extension reads exact queue lengths for scaling through the administration API, which needs it (or a custom role
// with namespaces/*/read); without it the extension estimates by peeking, which is accurate enough for Strata's
// handful of messages a minute and does not let the app create, change or delete entities.
resource receivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (q, i) in queues: if (q.consumed) {
    name: guid(queueResources[i].id, identityId, 'Azure Service Bus Data Receiver')
    scope: queueResources[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Azure Service Bus Data Receiver'])
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

@description('The fully qualified namespace (NAME.servicebus.windows.net): StrataServiceBus__fullyQualifiedNamespace and STRATA_SERVICE_BUS.')
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
