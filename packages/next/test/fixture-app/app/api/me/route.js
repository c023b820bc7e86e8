import { meRoute } from '../../../lib/routes';

export const { GET } = meRoute;
