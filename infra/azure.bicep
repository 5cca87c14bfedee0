// The bot's Azure resources, deployed by m365agents.yml's arm/deploy (Microsoft 365 Agents Toolkit): an App Service
// (Linux, Node 22) running `node dist/bot/main.js`, PostgreSQL 16 (flexible server), a Key Vault holding
// MicrosoftAppPassword, AUDIT_KEY and DATABASE_URL (the app reads them through Key Vault references with its own
// managed identity), the Azure Bot with its Teams channel, and Application Insights. Parameters come from
// azure.parameters.json, whose ${{...}} placeholders the toolkit fills from env/.env.<env>(.user).

@minLength(4)
@maxLength(20)
@description('Used to name every resource; lower-case letters and digits make names every resource type accepts.')
param resourceBaseName string

param location string = resourceGroup().location

@description('The bot\'s Entra ID app (client) id, made by aadApp/create.')
param botAppId string

@secure()
@description('The bot\'s client secret, made by aadApp/create; stored in Key Vault as microsoft-app-password.')
param botAppPassword string

@description('The Entra tenant the bot is registered in (single tenant), which is also the one tenant allowed in.')
param botTenantId string = tenant().tenantId

@maxLength(42)
param botDisplayName string

@secure()
@description('The audit chain key on the first provision; empty afterwards, so the key already in Key Vault is kept.')
param auditKey string = ''

param postgresAdminLogin string = 'panelsadmin'

@secure()
param postgresAdminPassword string

param webAppSku string = 'B1'
param postgresSkuName string = 'Standard_B1ms'
param postgresSkuTier string = 'Burstable'

@description('The forces and panels file, as a path inside the deployed app.')
param panelsConfig string = './config/panels.sample.yaml'

param enableAppInsights bool = true

var webAppName = resourceBaseName
var hostName = '${webAppName}.azurewebsites.net'
var vaultName = '${resourceBaseName}-kv'
var databaseName = 'panels'
// Built-in role: Key Vault Secrets User (read secret values).
var secretsUserRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = if (enableAppInsights) {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = if (enableAppInsights) {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 32 }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// App Service's outbound addresses are shared and change; "Azure services" is the rule App Service documents for a
// server without a private network. Put both in a virtual network to close the server to everything else.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
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

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'microsoft-app-password'
  properties: { value: botAppPassword }
}

// Only a real key (32 characters or more): an unset toolkit variable arrives as its literal placeholder, which must
// never replace the key the audit chain is keyed with.
resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (length(auditKey) >= 32 && !startsWith(auditKey, '\${{')) {
  parent: vault
  name: 'audit-key'
  properties: { value: auditKey }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
  }
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: webAppSku }
  properties: { reserved: true }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node --disable-warning=DEP0111 dist/bot/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: concat([
        // m365agents.yml's deploy uploads dist/ and the lock file; App Service installs the production dependencies
        // on Linux (better-sqlite3 is a native module), instead of running `npm install` and `npm run build`.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'CUSTOM_BUILD_COMMAND', value: 'npm ci --omit=dev --no-audit --no-fund' }
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'MicrosoftAppId', value: botAppId }
        { name: 'MicrosoftAppType', value: 'SingleTenant' }
        { name: 'MicrosoftAppTenantId', value: botTenantId }
        { name: 'ALLOWED_TENANT_IDS', value: botTenantId }
        { name: 'MicrosoftAppPassword', value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=microsoft-app-password)' }
        { name: 'AUDIT_KEY', value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=audit-key)' }
        { name: 'DATABASE_URL', value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=database-url)' }
        { name: 'PUBLIC_BASE_URL', value: 'https://${hostName}' }
        { name: 'PANELS_CONFIG', value: panelsConfig }
      ], enableAppInsights ? [
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
      ] : [])
    }
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, webApp.id, secretsUserRole)
  properties: {
    roleDefinitionId: secretsUserRole
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${hostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: { channelName: 'MsTeamsChannel' }
}

// Written to env/.env.<env> by arm/deploy; the deploy and publish steps read them.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = hostName
output BOT_ENDPOINT string = 'https://${hostName}'
output KEY_VAULT_NAME string = vault.name
output AUDIT_KEY_SECRET_URI string = '${vault.properties.vaultUri}secrets/audit-key'
output POSTGRES_SERVER_FQDN string = postgres.properties.fullyQualifiedDomainName
