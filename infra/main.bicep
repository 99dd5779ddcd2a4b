//begin demo-only
// The one Bicep deployment of the repository: it deploys the LoginDemo (the table store), and it is also what the
// sessions-functions template ships (templates/SessionsServerless.Templates.csproj packs infra/ at pack time: a line
// that ends in "// demo-only" and the blocks between the "begin demo-only" and "end demo-only" marker lines are
// dropped, a "//template:" line becomes the text after that prefix, and the "//#if" lines are left to `dotnet new`).
// The Bicep CLI reads every marker as a comment. tests/Templates.Tests checks the packed copies against these files.
//
//end demo-only
// SessionsServerless on Azure Functions: the app on a Linux Flex Consumption plan, as a .NET isolated worker or as a
// custom handler (functionsModel), the cookie key in Key Vault, everything reached with the app's system-assigned
// identity: no keys, no connection strings, and no secret in this file or its parameters file.
targetScope = 'resourceGroup'

@description('Region of every resource; it must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Name of the function app; the other resources derive their names from it and the resource group.')
@minLength(2)
@maxLength(40)
param appName string = 'sessions-${uniqueString(resourceGroup().id)}'

@description('How the app runs: isolated (a .NET isolated worker, runtime dotnet-isolated 10.0) or custom-handler (an ASP.NET Core app behind the Functions host, runtime custom).')
@allowed([
  'isolated'
  'custom-handler'
])
param functionsModel string = 'isolated'

//#if (store == "table")
@description('The Azure Table that holds the sessions (app setting Sessions__AzureTables__TableName).')
@minLength(3)
@maxLength(63)
param sessionsTableName string = 'sessions'

//#endif
@description('The key that seals the session cookies, at least 32 characters. Stored in Key Vault when given; leave it empty on later deployments to keep the stored one.')
@secure()
param sessionsEncryptionKey string = ''

@description('Versions of the Key Vault secret sessions-encryption-key that are still accepted (Sessions__PreviousEncryptionKeys__0, ...): after a rotation, the version the key had before, so nobody is signed out.')
param previousEncryptionKeyVersions array = []

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
//#if (store == "table")
    sessionsTableName: sessionsTableName
//#endif
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
    functionsModel: functionsModel
    storageAccountName: storage.outputs.storageAccountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
//#if (store == "table")
    tableEndpoint: storage.outputs.tableEndpoint
    sessionsTableName: sessionsTableName
//#endif
    encryptionKeySecretUri: keyVault.outputs.encryptionKeySecretUri
    previousEncryptionKeyVersions: previousEncryptionKeyVersions
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
//#if (store == "table")
    sessionsTableName: sessionsTableName
//#endif
    keyVaultName: keyVault.outputs.keyVaultName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

@description('The function app, for zip deployment.')
output functionAppName string = functionApp.outputs.functionAppName

@description('The app\'s public address.')
output url string = 'https://${functionApp.outputs.defaultHostName}'

@description('The storage account of the host (and, with the table store, of the sessions).')
output storageAccountName string = storage.outputs.storageAccountName

@description('The vault that holds the cookie key.')
output keyVaultName string = keyVault.outputs.keyVaultName
