/**
 * What callers of the credential managers see: records without their hash, and the plaintext secret
 * exactly once, at creation.
 *
 * @module
 */
import type { CredentialRecord } from '../store.js';

/** A credential as listed and returned by the managers: everything but the stored hash. */
export type CredentialView = Omit<CredentialRecord, 'hash'>;

/** A newly issued credential. `secret` is shown here once and never again: only its hash is stored. */
export interface IssuedCredential {
  secret: string;
  credential: CredentialView;
}

/** Strip the hash from a stored record. */
export function toCredentialView(record: CredentialRecord): CredentialView {
  const { hash: _hash, ...view } = record;
  return view;
}
