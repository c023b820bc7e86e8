import { signInRoutes } from '../../../lib/routes';

export const { GET, POST } = signInRoutes;
