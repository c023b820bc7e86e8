import { wellKnown } from '../../../lib/routes';

export const { GET } = wellKnown;
