import { CallerIdConstants, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult, type BotFrameworkAuthentication } from 'botframework-connector';
import { fail, ok, type Result } from '../scheduler/domain/types.js';

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

/** The activity's validated identity and outbound connector, or why its token is refused. */
export type Authentication = Result<AuthenticateRequestResult>;

/** Checks an inbound activity's Bot Framework token, once; in local mode (no app id) it accepts every activity. */
export type Authenticator = (activity: Activity, authorization: string) => Promise<Authentication>;

/**
 * Checks the Bot Framework JWT before any turn runs. CloudAdapter.process answers 500 for a token with a bad
 * signature (jsonwebtoken's error is not an AuthenticationError); here every failure is a refusal. The result is
 * what the turn runs with (PanelAdapter.runAuthenticated), so the token is validated once per activity.
 */
export async function authenticateActivity(auth: BotFrameworkAuthentication, activity: Activity, authorization: string): Promise<Authentication> {
  try {
    // With authentication disabled (no app id) this ignores the header and answers an anonymous identity.
    return ok(await auth.authenticateRequest(activity, authorization));
  } catch (err) {
    return fail('token-refused', (err as Error).message || 'token refused');
  }
}
