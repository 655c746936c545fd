import type { Clock, Random } from '../core/index.js';
import { fromFlag, toFlag, type AuthTokensRepository, type SessionRow } from '../store/index.js';
import type { AccessTokens } from './access-token.js';
import type { AccountName, IssuedTokens } from './auth.types.js';

export const DEFAULT_SCOPE = 'sync:read sync:write data:read';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Issues a session's tokens: signs the access token (JWT `jti` = a new auth_tokens row, the
 * seed's Authentication Token) and pairs it with the session's new refresh token.
 */
export class TokenIssuer {
  constructor(
    private readonly o: { authTokens: AuthTokensRepository; accessTokens: AccessTokens; clock: Clock; random: Random; scope: string },
  ) {}

  async issue(session: SessionRow, refreshToken: string, account: AccountName): Promise<IssuedTokens> {
    const now = this.o.clock.now();
    const jti = this.o.random.uuid();
    const mfa = fromFlag(session.mfa_enabled);
    const scope = this.o.scope;
    const { token, exp } = await this.o.accessTokens.sign({ sub: session.user_id, sid: session.session_id, jti, scope, mfa });
    const ttl = this.o.accessTokens.ttlSeconds;
    await this.o.authTokens.insert({
      token_id: jti,
      user_id: session.user_id,
      session_id: session.session_id,
      token_type: 'Bearer',
      expires_in: ttl,
      expires_at: exp * 1000,
      scope,
      created_at: now,
      mfa_verified: toFlag(mfa),
    });
    return {
      status: 'authenticated',
      access_token: token,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: ttl,
      expires_at: iso(exp * 1000),
      refresh_expires_at: iso(session.expires_at),
      session_absolute_expires_at: iso(session.absolute_expires_at),
      scope,
      session_id: session.session_id,
      user_id: session.user_id,
      mfa_verified: mfa,
      account,
    };
  }
}
