// FunctionsSync on Azure: a Flex Consumption Function App (.NET 10 isolated), one storage account used through its
// managed identity only (Durable Functions, the deployment package, FunctionsSync's own tables and queues),
// Application Insights, and a Key Vault for secrets.
targetScope = 'resourceGroup'

@description('Name prefix of every resource (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param name string

param location string = resourceGroup().location

@description('Schedule of the SyncSchedule timer (six-field cron). The persisted schedule (/api/sync/interval) governs within it.')
param syncSchedule string = '0 */15 * * * *'

@description('Schedule of the MaintenanceTimer (webhook sweeps and retries, receipt and conflict retries).')
param maintenanceSchedule string = '*/15 * * * * *'

@description('Admin API key; stored in Key Vault and referenced from app settings.')
@secure()
param adminApiKey string

@description('Material of the key that encrypts secrets at rest (32+ random characters, e.g. openssl rand -base64 32). Keep it: what it encrypted needs it to be read; rotate by adding a key, never by changing this one.')
@secure()
@minLength(32)
param secretsKeyMaterial string

@description('Maximum instances of the Flex Consumption plan.')
param maximumInstanceCount int = 100

var suffix = uniqueString(resourceGroup().id, name)
var storageName = take('${name}st${suffix}', 24)
var vaultName = take('${name}-kv-${suffix}', 24)
var deploymentContainer = 'deployments'

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id-${suffix}'
  location: location
}

// The one storage account: Durable Functions task hub, deployment package, and FunctionsSync's tables and queues
// (Azure.Data.Tables / Azure.Storage.Queues with DefaultAzureCredential). Shared keys are off.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.blobDataOwner, roles.queueDataContributor, roles.tableDataContributor]: {
  scope: storage
  name: guid(storage.id, identity.id, role)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Marketplace credentials and the service's own secrets; app settings reference them.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'api-admin-key'
  properties: { value: adminApiKey }
}

// The key-encryption key that protects credentials, refresh tokens and webhook secrets at rest (envelope encryption:
// each value has a data key of its own, wrapped with this one). Rotate by adding a secret, listing it as key 1 (the
// last listed wraps new writes) and, once every instance has started (each re-wraps what an older key holds), dropping key 0.
resource secretsKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'secrets-key-1'
  properties: { value: secretsKeyMaterial }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-func-${suffix}'
  location: location
  kind: 'functionapp,linux'
  tags: { 'azd-service-name': 'functions' }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'SyncSchedule', value: syncSchedule }
        // FunctionsSync's tables and queues: the same account, keyless (Table and Queue Data Contributor above).
        { name: 'Storage__AccountName', value: storage.name }
        { name: 'Storage__ManagedIdentityClientId', value: identity.properties.clientId }
        // The webhook queue trigger's connection (identity-based): where the outbox signals are enqueued.
        { name: 'DataStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'DataStorage__credential', value: 'managedidentity' }
        { name: 'DataStorage__clientId', value: identity.properties.clientId }
        // Storage__TablePrefix (empty here) + 'webhookevents'; the app checks the two agree at start-up.
        { name: 'WebhookQueueName', value: 'webhookevents' }
        { name: 'AmazonNotificationQueueName', value: 'amazonnotifications' }
        { name: 'MaintenanceSchedule', value: maintenanceSchedule }
        { name: 'Api__AdminKey', value: '@Microsoft.KeyVault(SecretUri=${adminKeySecret.properties.secretUri})' }
        { name: 'Secrets__Keys__0__Id', value: 'kv1' }
        { name: 'Secrets__Keys__0__Key', value: '@Microsoft.KeyVault(SecretUri=${secretsKey.properties.secretUri})' }
      ]
    }
  }
  dependsOn: [storageRoles, vaultRole, insightsRole]
}

output functionAppName string = site.name
output functionAppUrl string = 'https://${site.properties.defaultHostName}'
output keyVaultName string = vault.name
