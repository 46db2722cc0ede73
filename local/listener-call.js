/**
 * One call of a node:http request listener in memory: a minimal request (an EventEmitter with method, url,
 * lower-cased headers, then the body as one 'data' chunk and 'end') and a response collecting
 * setHeader/writeHead/end. Enough for dynalite's and the local Step Functions service's listeners, which
 * read the whole body and answer with one `end`.
 *
 * Plain JavaScript so that the dynalite worker thread (dynalite-worker.js) loads it without a TypeScript
 * loader; types in listener-call.d.ts.
 *
 * callListener(listener, { method, path, headers, body? }) → Promise<{ statusCode, headers, body: Buffer }>;
 * rejects if the listener throws synchronously.
 */
import { EventEmitter } from 'node:events';

export function callListener(listener, request) {
  return new Promise((resolve, reject) => {
    const headers = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const req = Object.assign(new EventEmitter(), {
      destroy() {},
      method: request.method,
      url: request.path,
      headers,
    });
    const out = {};
    const res = {
      statusCode: 200,
      setHeader(name, value) {
        out[name.toLowerCase()] = String(value);
      },
      getHeader(name) {
        return out[name.toLowerCase()];
      },
      writeHead(status, more = {}) {
        res.statusCode = status;
        for (const [k, v] of Object.entries(more)) res.setHeader(k, v);
        return res;
      },
      end(body) {
        resolve({
          statusCode: res.statusCode,
          headers: out,
          body: body === undefined ? Buffer.alloc(0) : Buffer.from(body),
        });
      },
    };
    try {
      listener(req, res);
    } catch (error) {
      reject(error);
      return;
    }
    const body = request.body;
    setImmediate(() => {
      if (body !== undefined && body.length > 0)
        // A view on the same bytes: Buffer.from(uint8Array) would call valueOf(), which the SDK's JSON
        // body adapter answers by decoding to a string (with a warning).
        req.emit(
          'data',
          typeof body === 'string'
            ? Buffer.from(body)
            : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        );
      req.emit('end');
    });
  });
}
