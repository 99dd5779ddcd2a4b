// SessionsProjectName on Azure Functions: the app as a custom handler on a Linux Flex Consumption plan, the cookie key
// in Key Vault, everything reached with the app's system-assigned identity: no keys, no connection strings, and no
// secret in this file or its parameters file.
targetScope = 'resourceGroup'

@description('Region of every resource; it must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Name of the function app; the other resources derive their names from it and the resource group.')
@minLength(2)
@maxLength(40)
param appName string = 'sessions-${uniqueString(resourceGroup().id)}'

//#if (store == "table")
@description('The Azure Table that holds the sessions (app setting Sessions__AzureTables__TableName).')
@minLength(3)
@maxLength(63)
param sessionsTableName string = 'sessions'

//#endif
@description('The key that seals the session cookies, at least 32 characters. Stored in Key Vault when given; leave it empty on later deployments to keep the stored one.')
@secure()
param sessionsEncryptionKey string = ''

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('The most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Tags for every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, appName)
var deploymentContainerName = 'app-package'
var encryptionKeySecretName = 'sessions-encryption-key'

// Built-in roles, the least the app's identity needs.
var roles = {
  // The Functions host's own storage (leases, timer status) and the deployment package.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
//#if (store == "table")
  // The session store: entities of the sessions table only.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
//#endif
  // The cookie key, through a Key Vault reference.
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  // Telemetry to Application Insights without keys.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${appName}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${appName}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${suffix}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

//#if (store == "table")
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storageAccount
  name: 'default'
}

resource sessionsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: sessionsTableName
}

//#endif
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${suffix}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// Written only when a key is given, so a later deployment without one keeps the stored key (and everybody's sessions).
resource encryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sessionsEncryptionKey)) {
  parent: vault
  name: encryptionKeySecretName
  properties: {
    value: sessionsEncryptionKey
    contentType: 'text/plain'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${appName}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccount.name
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        // The app answers "/" itself; the host's placeholder page must not.
        {
          name: 'AzureWebJobsDisableHomepage'
          value: 'true'
        }
//#if (store == "table")
        {
          name: 'Sessions__Store'
          value: 'table'
        }
        {
          name: 'Sessions__AzureTables__Endpoint'
          value: storageAccount.properties.primaryEndpoints.table
        }
        {
          name: 'Sessions__AzureTables__TableName'
          value: sessionsTable.name
        }
//#else
        {
          name: 'Sessions__Store'
          value: 'cookie'
        }
//#endif
        {
          name: 'Sessions__EncryptionKey'
          value: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${encryptionKeySecretName})'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

resource hostStorageRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, functionApp.id, roles.storageBlobDataOwner)
  scope: storageAccount
  properties: {
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

//#if (store == "table")
resource sessionsTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sessionsTable.id, functionApp.id, roles.storageTableDataContributor)
  scope: sessionsTable
  properties: {
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

//#endif
resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionApp.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionApp.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

@description('The function app, for the zip deployment.')
output functionAppName string = functionApp.name

@description('The app\'s public address.')
output url string = 'https://${functionApp.properties.defaultHostName}'

@description('The vault that holds the cookie key.')
output keyVaultName string = vault.name
