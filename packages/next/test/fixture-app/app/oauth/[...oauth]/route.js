import { providerRoutes } from '../../../lib/routes';

export const { GET, POST } = providerRoutes;
