/**
 * `auth-demo-cli <scheme> [path]`: call the provider's API with one machine credential scheme through
 * @auth/axios, print the status and the JSON body. Exit code 0 on 2xx, 1 on anything else (401/403
 * print the RFC 6750 `WWW-Authenticate` challenge and error), 2 on usage errors.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import axios from 'axios';
import {
  apiKey,
  attach,
  bearer,
  clientCredentials,
  type CredentialSource,
  createTokenManager,
  OAuthError,
  passwordGrant,
  secret,
} from '@auth/axios';
import { type DemoCredentials, demoConfig } from '../../provider/src/shared-config.js';

export const SCHEMES = ['api-key', 'legacy-key', 'pat', 'secret', 'client-credentials', 'password'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const USAGE = `Usage: auth-demo-cli <scheme> [path] [options]

Calls the demo provider's API (default path /v1/me) with one machine credential scheme.

Schemes:
  api-key             X-API-KEY + X-BUSINESS-ID + X-USER-ID (seed 000)
  legacy-key          X-API-Key alone (seed 002)
  pat                 Authorization: Bearer <personal access token> (seeds 003/004)
  secret              Authorization: Secret <secret> (seed 003; /v1/me only)
  client-credentials  OAuth client_credentials grant, then Bearer
  password            OAuth password grant with HTTP Basic client auth (seed 001), then Bearer

Options (override the env vars in brackets, which override demo-credentials.json):
  --provider <url>        provider base URL [PROVIDER_URL]
  --credentials <file>    demo credentials JSON [DEMO_CREDENTIALS, default $DATA_DIR/demo-credentials.json]
  --key <key>             API key [AUTH_DEMO_API_KEY]
  --business-id <id>      [AUTH_DEMO_BUSINESS_ID]     --user-id <id>   [AUTH_DEMO_USER_ID]
  --token <pat>           personal access token [AUTH_DEMO_TOKEN]
  --secret <secret>       Secret scheme value [AUTH_DEMO_SECRET]
  --client-id <id>        [AUTH_DEMO_CLIENT_ID]       --client-secret <s> [AUTH_DEMO_CLIENT_SECRET]
  --username <u>          [AUTH_DEMO_USERNAME]        --password <p>      [AUTH_DEMO_PASSWORD]
  --scope <scopes>        space-separated scopes for the OAuth grants
  --method <GET|POST>     HTTP method (default GET)   --data <json>       request body
  -h, --help`;

export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

function loadCredentials(file: string, explicit: boolean): Partial<DemoCredentials> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  } catch (cause) {
    if (explicit) throw new UsageError(`Cannot read credentials file ${file}: ${(cause as Error).message}`);
    return {};
  }
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Missing ${what}`);
  return value;
}

/** Build the credential source for a scheme from flags, env and the credentials file. */
function sourceFor(scheme: Scheme, flags: Record<string, string | undefined>, env: CliIo['env'], creds: Partial<DemoCredentials>, issuer: string): CredentialSource {
  const pick = (flag: string, envName: string, fromFile: string | undefined) => flags[flag] ?? env[envName] ?? fromFile;
  const scope = flags.scope;
  switch (scheme) {
    case 'api-key':
      return apiKey({
        key: need(pick('key', 'AUTH_DEMO_API_KEY', creds.apiKey?.key), 'API key (--key)'),
        businessId: need(pick('business-id', 'AUTH_DEMO_BUSINESS_ID', creds.apiKey?.businessId), 'business id (--business-id)'),
        userId: need(pick('user-id', 'AUTH_DEMO_USER_ID', creds.apiKey?.userId), 'user id (--user-id)'),
      });
    case 'legacy-key':
      return apiKey({ key: need(pick('key', 'AUTH_DEMO_API_KEY', creds.legacyApiKey?.key), 'API key (--key)'), header: 'X-API-Key' });
    case 'pat':
      return bearer(need(pick('token', 'AUTH_DEMO_TOKEN', creds.personalToken), 'personal access token (--token)'));
    case 'secret':
      return secret(need(pick('secret', 'AUTH_DEMO_SECRET', creds.secret), 'secret (--secret)'));
    case 'client-credentials':
      return createTokenManager(
        clientCredentials({
          issuer,
          clientId: need(pick('client-id', 'AUTH_DEMO_CLIENT_ID', creds.confidentialClient?.clientId), 'client id (--client-id)'),
          clientSecret: need(pick('client-secret', 'AUTH_DEMO_CLIENT_SECRET', creds.confidentialClient?.clientSecret), 'client secret (--client-secret)'),
          ...(scope ? { scope } : {}),
        }),
      );
    case 'password':
      return createTokenManager(
        passwordGrant({
          issuer,
          clientId: need(pick('client-id', 'AUTH_DEMO_CLIENT_ID', creds.confidentialClient?.clientId), 'client id (--client-id)'),
          clientSecret: need(pick('client-secret', 'AUTH_DEMO_CLIENT_SECRET', creds.confidentialClient?.clientSecret), 'client secret (--client-secret)'),
          username: need(pick('username', 'AUTH_DEMO_USERNAME', creds.user?.username), 'username (--username)'),
          password: need(pick('password', 'AUTH_DEMO_PASSWORD', creds.user?.password), 'password (--password)'),
          ...(scope ? { scope } : {}),
        }),
      );
  }
}

/** Run the CLI; returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; strict: true; options: Record<string, { type: 'string' | 'boolean'; short?: string }> }>>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        provider: { type: 'string' },
        credentials: { type: 'string' },
        key: { type: 'string' },
        'business-id': { type: 'string' },
        'user-id': { type: 'string' },
        token: { type: 'string' },
        secret: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        scope: { type: 'string' },
        method: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const flags = parsed.values as Record<string, string | undefined> & { help?: boolean };
  const [scheme, path = '/v1/me', ...rest] = parsed.positionals;
  if (flags.help) {
    io.out(USAGE);
    return 0;
  }
  if (!scheme || !(SCHEMES as readonly string[]).includes(scheme) || rest.length > 0) {
    io.err(`${scheme ? `Unknown scheme "${scheme}"` : 'Missing scheme'}\n\n${USAGE}`);
    return 2;
  }

  const config = demoConfig(io.env);
  const credentialsFile = flags.credentials ?? io.env.DEMO_CREDENTIALS ?? config.credentialsFile;
  const creds = loadCredentials(credentialsFile, Boolean(flags.credentials ?? io.env.DEMO_CREDENTIALS));
  const providerUrl = (flags.provider ?? io.env.PROVIDER_URL ?? creds.issuer ?? config.providerUrl).replace(/\/$/, '');

  let source: CredentialSource;
  try {
    source = sourceFor(scheme as Scheme, flags, io.env, creds, providerUrl);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof Error && err.name === 'ConfigError')) throw err;
    io.err(`${err.message}\n\n${USAGE}`);
    return 2;
  }

  const api = axios.create({ baseURL: providerUrl, validateStatus: () => true, timeout: 15_000 });
  attach(api, source);
  const method = (flags.method ?? (flags.data ? 'POST' : 'GET')).toUpperCase();
  try {
    const res = await api.request({
      url: path,
      method,
      headers: { accept: 'application/json', ...(flags.data ? { 'content-type': 'application/json' } : {}) },
      ...(flags.data ? { data: flags.data } : {}),
    });
    io.out(`${method} ${providerUrl}${path} -> ${res.status}`);
    const challenge = res.headers['www-authenticate'];
    if (challenge) io.out(`WWW-Authenticate: ${challenge}`);
    io.out(typeof res.data === 'string' ? res.data : JSON.stringify(res.data, null, 2));
    if (res.status === 401 || res.status === 403) {
      const body = (typeof res.data === 'object' ? res.data : null) as { error?: string; error_description?: string } | null;
      io.err(`error: ${body?.error ?? res.status}${body?.error_description ? `: ${body.error_description}` : ''}`);
    }
    return res.status >= 200 && res.status < 300 ? 0 : 1;
  } catch (err) {
    // The grant failed at the token endpoint: the core's typed error, never an AxiosError.
    if (err instanceof OAuthError) {
      io.err(`error: ${err.error}${err.error_description ? `: ${err.error_description}` : ''} (token endpoint, HTTP ${err.status ?? '?'})`);
      return 1;
    }
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}
