import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Refuses bodies over `maxSize` bytes. A declared Content-Length is judged from the header alone
 * (Node's parser never reads past it), which keeps the request body unread until the handler reads
 * it on @hono/node-server's direct path; hono's bodyLimit, used for chunked bodies, instead turns
 * every request into a web-stream Request, several times the cost of the submission it guards.
 */
export function limitBody(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(declared) > maxSize ? onError(c) : next();
    }
    return streamed(c, next);
  };
}
