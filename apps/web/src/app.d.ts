// See https://svelte.dev/docs/kit/types#app.d.ts for the interfaces that can be extended.
import type { IncomingMessage } from 'node:http';
import type { InProcessApi, inProcessApiKey } from '@nordraum/domain';

declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** The language a page was rendered in on the server, for `<html lang>`. */
      locale?: string;
    }
    interface Platform {
      /** adapter-node's request; Nordraum's server adds the API to it (see `inProcessApiKey`). */
      req: IncomingMessage & { [key in typeof inProcessApiKey]?: InProcessApi };
    }
  }
}
