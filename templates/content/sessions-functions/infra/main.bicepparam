// Parameters for main.bicep. No secret here: the cookie key comes from the environment of whoever deploys
// (export SESSIONS_ENCRYPTION_KEY="$(openssl rand -base64 48)"); leave it unset on later deployments to keep the key
// already in Key Vault.
using 'main.bicep'

param sessionsEncryptionKey = readEnvironmentVariable('SESSIONS_ENCRYPTION_KEY', '')
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param tags = {
  app: 'SessionsProjectName'
}
