// The function app: Linux, Flex Consumption plan, system-assigned identity for everything it reaches. The runtime
// follows the Functions model: dotnet-isolated 10.0 for a .NET isolated worker app, custom for an ASP.NET Core app
// published as a custom handler (`dotnet publish` adds host.json and the function folders).
param location string
param appName string
param planName string
@allowed([
  'isolated'
  'custom-handler'
])
param functionsModel string
param storageAccountName string
param deploymentContainerUrl string
//#if (store == "table")
param tableEndpoint string
param sessionsTableName string
//#endif
param encryptionKeySecretUri string
param previousEncryptionKeyVersions array
param applicationInsightsConnectionString string
param instanceMemoryMB int
param maximumInstanceCount int
param tags object

// functionAppConfig.runtime of each model.
var runtimes = {
  isolated: {
    name: 'dotnet-isolated'
    version: '10.0'
  }
  'custom-handler': {
    name: 'custom'
    version: '1.0'
  }
}

// The app settings. The key is a Key Vault reference; the app refuses to start if it stays unresolved.
var settings = [
  // The host's own storage, through the identity (Storage Blob Data Owner).
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccountName
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: applicationInsightsConnectionString
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
    value: tableEndpoint
  }
  {
    name: 'Sessions__AzureTables__TableName'
    value: sessionsTableName
  }
//#else
//template:  {
//template:    name: 'Sessions__Store'
//template:    value: 'cookie'
//template:  }
//#endif
  {
    name: 'Sessions__EncryptionKey'
    value: '@Microsoft.KeyVault(SecretUri=${encryptionKeySecretUri})'
  }
]

// Each previous key is a Key Vault reference to one version of the same secret.
var previousKeySettings = [
  for (version, index) in previousEncryptionKeyVersions: {
    name: 'Sessions__PreviousEncryptionKeys__${index}'
    value: '@Microsoft.KeyVault(SecretUri=${encryptionKeySecretUri}/${version})'
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
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
      // The fixed settings, then one per previous key.
      appSettings: concat(settings, previousKeySettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: runtimes[functionsModel]
    }
  }
}

output functionAppName string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output principalId string = functionApp.identity.principalId
