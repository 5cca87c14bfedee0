import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, type ServiceClientCredentialsFactory } from 'botframework-connector';

/**
 * Where inbound tokens are checked, for tests only: a loopback OpenID document and the issuer its keys sign for.
 * Never read from the environment; production always uses Bot Framework's public-cloud endpoints.
 */
export interface AuthOverrides {
  openIdMetadataUrl: string;
  tokenIssuer: string;
}

/** The first argument of TeamsAdapter (ConfigurationBotFrameworkAuthenticationOptions). */
export function authOptions(overrides?: AuthOverrides): ConfigurationBotFrameworkAuthenticationOptions {
  if (!overrides) return {};
  // Setting any endpoint switches botbuilder to "parameterised" mode, where every unset one is undefined:
  // keep the public-cloud values for the rest so outbound sends still know where to get their tokens.
  return {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ToBotFromChannelTokenIssuer: overrides.tokenIssuer,
    ToBotFromChannelOpenIdMetadataUrl: overrides.openIdMetadataUrl,
    // Tokens whose issuer looks like the Emulator's take another path; point it at the same keys, never the internet.
    ToBotFromEmulatorOpenIdMetadataUrl: overrides.openIdMetadataUrl,
  };
}

/** Why a request's token is refused, or null when it is accepted (always null in local mode). */
export type Authenticator = (activity: Record<string, unknown>, authorization: string) => Promise<string | null>;

/**
 * Checks the Bot Framework JWT before the adapter sees the activity. CloudAdapter.process answers 500 for a token
 * with a bad signature (jsonwebtoken's error is not an AuthenticationError); here every failure is a refusal.
 */
export function authenticator(options: ConfigurationBotFrameworkAuthenticationOptions, credentials: ServiceClientCredentialsFactory): Authenticator {
  const auth = new ConfigurationBotFrameworkAuthentication(options, credentials);
  return async (activity, authorization) => {
    try {
      await auth.authenticateRequest(activity as Partial<Activity> as Activity, authorization);
      return null;
    } catch (err) {
      return (err as Error).message || 'token refused';
    }
  };
}
