// SessionsServerless on Azure Functions: the app as a custom handler on a Linux Flex Consumption plan, sessions in an
// Azure Table, the cookie key in Key Vault, everything reached with the app's system-assigned identity (no keys, no
// connection strings, no secret in this template or its parameters file).
targetScope = 'resourceGroup'

@description('Region of every resource; it must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Name of the function app; the other resources derive their names from it and the resource group.')
@minLength(2)
@maxLength(40)
param appName string = 'sessions-${uniqueString(resourceGroup().id)}'

@description('The Azure Table that holds the sessions (app setting Sessions__AzureTables__TableName).')
@minLength(3)
@maxLength(63)
param sessionsTableName string = 'sessions'

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

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: '${appName}-logs'
    applicationInsightsName: '${appName}-insights'
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: 'st${suffix}'
    sessionsTableName: sessionsTableName
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: 'kv-${suffix}'
    sessionsEncryptionKey: sessionsEncryptionKey
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    appName: appName
    planName: '${appName}-plan'
    storageAccountName: storage.outputs.storageAccountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    tableEndpoint: storage.outputs.tableEndpoint
    sessionsTableName: sessionsTableName
    encryptionKeySecretUri: keyVault.outputs.encryptionKeySecretUri
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.storageAccountName
    sessionsTableName: sessionsTableName
    keyVaultName: keyVault.outputs.keyVaultName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

@description('The function app, for zip deployment.')
output functionAppName string = functionApp.outputs.functionAppName

@description('The app\'s public address.')
output url string = 'https://${functionApp.outputs.defaultHostName}'

@description('The storage account whose Table service holds the sessions.')
output storageAccountName string = storage.outputs.storageAccountName

@description('The vault that holds the cookie key.')
output keyVaultName string = keyVault.outputs.keyVaultName
