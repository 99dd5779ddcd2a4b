// Parameters for main.bicep. No secret here: the cookie key comes from the environment of whoever deploys
// (export SESSIONS_ENCRYPTION_KEY="$(openssl rand -base64 48)"); leave it unset on later deployments to keep the key
// already in Key Vault. After a rotation, list the key's previous version in previousEncryptionKeyVersions.
using 'main.bicep'

param functionsModel = 'custom-handler' // demo-only
//#if (model == "isolated")
//template:param functionsModel = 'isolated'
//#else
//template:param functionsModel = 'custom-handler'
//#endif
//#if (store == "table")
param sessionsTableName = 'sessions'
//#endif
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param sessionsEncryptionKey = readEnvironmentVariable('SESSIONS_ENCRYPTION_KEY', '')
param previousEncryptionKeyVersions = []
param tags = {
  app: 'sessionsserverless' // demo-only
//template:  app: 'SessionsProjectName'
}
