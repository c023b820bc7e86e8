import { Module } from '@nestjs/common';
import { AuthClientConfigurableModule } from './auth-client-module-definition.js';

/**
 * Injectable clients for calling other APIs with the core's credential sources and token manager. Each
 * `register()` provides one `AuthClient` under its `name`.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     AuthClientModule.register({
 *       name: 'crm',
 *       source: createTokenManager(clientCredentials({ tokenEndpoint, clientId, clientSecret })),
 *     }),
 *   ],
 *   providers: [ContactsService],
 * })
 * export class ContactsModule {}
 *
 * @Injectable()
 * export class ContactsService {
 *   constructor(@InjectAuthClient('crm') private readonly crm: AuthClient) {}
 *   list() { return this.crm.fetch('https://crm.example.com/v1/contacts').then((r) => r.json()); }
 * }
 * ```
 */
@Module({})
export class AuthClientModule extends AuthClientConfigurableModule {}
