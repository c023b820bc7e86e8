/**
 * Reading the path of a request-target.
 *
 * @module
 */

/** The pathname of a request-target, without parsing it against any base (a `//host` path stays a path). */
export function pathnameOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}
