// The vault that holds the cookie key. Access is by Azure RBAC only (no access policies); the function app reads the
// secret through a Key Vault reference with the Key Vault Secrets User role (see roles.bicep).
param location string
param keyVaultName string
@secure()
param sessionsEncryptionKey string
param tags object

var encryptionKeySecretName = 'sessions-encryption-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
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

output keyVaultName string = vault.name

// Without a version: the reference follows the latest version, so rotating the key is a new secret version.
output encryptionKeySecretUri string = '${vault.properties.vaultUri}secrets/${encryptionKeySecretName}'
