import type { FastifyReply } from 'fastify';

/**
 * Send a Web `Response` from the core through Fastify: status, every header (each `Set-Cookie`
 * separately, never joined), and the body.
 */
export async function sendWebResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  // No body must go out as no body: `send(null)` would be serialised as the JSON text `null`.
  if (!response.body) return reply.send();
  return reply.send(Buffer.from(await response.arrayBuffer()));
}
