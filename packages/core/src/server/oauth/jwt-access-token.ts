/**
 * RFC 9068 JWT access tokens: `typ: at+jwt`, signed with the first configured key, verified against all
 * of them, published as a JWKS.
 *
 * @module
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { randomId } from '../../crypto/random.js';
import type { JwtAccessTokens } from './oauth-options.js';

/** Claims of an access token, before signing. */
export interface AccessTokenClaims {
  subject: string;
  clientId: string;
  scopes: readonly string[];
  businessId: string | null;
  familyId: string;
  issuedAt: number;
  expiresAt: number;
}

/** Signs and verifies RFC 9068 access tokens with the configured keys. */
export interface JwtAccessTokenCodec {
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Verified claims, or null for a bad signature, wrong issuer/audience/type, or expiry at `now`. */
  verify(token: string, now: number): Promise<JWTPayload | null>;
  /** The public keys, as served on the JWKS endpoint. */
  readonly jwks: { keys: JWK[] };
  readonly algorithms: string[];
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg'] as const;

function publicJwk(jwk: JWK): JWK {
  const out: JWK = { use: 'sig' };
  for (const m of PUBLIC_MEMBERS) if (jwk[m] !== undefined) (out as Record<string, unknown>)[m] = jwk[m];
  return out;
}

/** Build the codec. Keys are imported lazily, once, on first use. */
export function createJwtAccessTokenCodec(issuer: string, config: JwtAccessTokens): JwtAccessTokenCodec {
  const audience = config.audience ?? issuer;
  const signing = config.signingKeys[0]!;
  const jwks = { keys: config.signingKeys.map(publicJwk) };
  const localJwks = createLocalJWKSet(jwks);
  const algorithms = [...new Set(config.signingKeys.map((k) => k.alg!))];
  let signingKey: ReturnType<typeof importJWK> | undefined;

  return {
    jwks,
    algorithms,
    async sign(c) {
      signingKey ??= importJWK(signing, signing.alg);
      return new SignJWT({
        client_id: c.clientId,
        scope: c.scopes.join(' '),
        fid: c.familyId,
        ...(c.businessId === null ? {} : { business_id: c.businessId }),
      })
        .setProtectedHeader({ alg: signing.alg!, kid: signing.kid!, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(c.subject)
        .setAudience(audience)
        .setIssuedAt(Math.floor(c.issuedAt / 1000))
        .setExpirationTime(Math.floor(c.expiresAt / 1000))
        .setJti(randomId(22))
        .sign(await signingKey);
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, localJwks, {
          issuer,
          audience,
          typ: 'at+jwt',
          algorithms,
          currentDate: new Date(now),
          requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
        });
        return payload;
      } catch {
        return null;
      }
    },
  };
}

/**
 * Generate a signing key for JWT access tokens, for development and tests. In production, generate one
 * once, keep it in your secret store and pass it to every replica.
 *
 * @example
 * ```ts
 * const key = await generateAccessTokenSigningKey();
 * createAuthServer({ ..., oauth: { accessTokens: { format: 'jwt', signingKeys: [key] } } });
 * ```
 */
export async function generateAccessTokenSigningKey(alg: 'ES256' | 'RS256' | 'PS256' | 'EdDSA' = 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, kid: randomId(12), use: 'sig' };
}
