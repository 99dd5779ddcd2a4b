// One storage account: the Functions host's own storage (AzureWebJobsStorage), the deployment package container of the
// Flex Consumption plan, and (with the table store) the Table service with the sessions table. Shared keys are
// disabled: everything goes through Microsoft Entra ID.
param location string
param storageAccountName string
//#if (store == "table")
param sessionsTableName string
//#endif
param tags object

var deploymentContainerName = 'app-package'

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
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
output storageAccountName string = storageAccount.name
//#if (store == "table")
output tableEndpoint string = storageAccount.properties.primaryEndpoints.table
//#endif
output deploymentContainerUrl string = '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainer.name}'
