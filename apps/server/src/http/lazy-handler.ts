import type { NodeHandler } from './context.ts';

/**
 * A Node handler that loads the real one on its first request; requests that arrive while it
 * loads wait for the same load. The web app's handler holds about 12 MiB once imported, which an
 * instance that only serves sockets and the API never needs; loading it costs the first page after
 * a start some 70 ms. A load that fails answers 500 and is tried again on the next request.
 */
export function lazyHandler(load: () => Promise<NodeHandler>, onLoadError: (error: unknown) => void): NodeHandler {
  let handler: NodeHandler | undefined;
  let loading: Promise<NodeHandler> | undefined;
  return (request, response, next) => {
    if (handler) return handler(request, response, next);
    loading ??= load().then((loaded) => {
      handler = loaded;
      return loaded;
    });
    loading.then(
      (loaded) => loaded(request, response, next),
      (error: unknown) => {
        loading = undefined;
        onLoadError(error);
        if (!response.headersSent) response.statusCode = 500;
        response.end();
      },
    );
  };
}
