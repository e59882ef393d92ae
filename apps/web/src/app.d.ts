// See https://svelte.dev/docs/kit/types#app.d.ts for the interfaces that can be extended.
declare global {
  namespace App {
    interface Error {
      message: string;
    }
  }
}

export {};
