// The function app: Linux, Flex Consumption plan, custom-handler runtime (the ASP.NET Core app published with
// `dotnet publish`, which adds host.json and the function folders), system-assigned identity for everything it reaches.
param location string
param appName string
param planName string
param storageAccountName string
param deploymentContainerUrl string
param tableEndpoint string
param sessionsTableName string
param encryptionKeySecretUri string
param applicationInsightsConnectionString string
param instanceMemoryMB int
param maximumInstanceCount int
param tags object

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
      appSettings: [
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
        {
          name: 'Sessions__EncryptionKey'
          value: '@Microsoft.KeyVault(SecretUri=${encryptionKeySecretUri})'
        }
      ]
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
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

output functionAppName string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output principalId string = functionApp.identity.principalId
