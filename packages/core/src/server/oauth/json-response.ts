/**
 * A JSON response that no cache keeps (RFC 6749 section 5.1: `Cache-Control: no-store` and
 * `Pragma: no-cache` on everything carrying tokens or errors).
 */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    },
  });
}
