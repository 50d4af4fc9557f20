// `npm run dev` under the page's CSP. The dev server injects every stylesheet (app.css and each
// Svelte component's styles) as an inline <style> element from JavaScript, which index.html's
// `style-src 'self'` blocks: the page rendered unstyled. In the dev server only, the meta policy
// gets 'unsafe-inline' for styles; scripts, connections and everything else stay as strict, and
// the production build (and its app:// CSP header) is untouched.
import type { Plugin } from 'vite';

/** index.html with 'unsafe-inline' added to the meta CSP's style-src (dev only). */
export function allowInlineStyles(html: string): string {
  return html.replace(
    /(<meta[^>]+http-equiv="Content-Security-Policy"[^>]+content="[^"]*style-src )([^;"]*)/i,
    (_match, head: string, sources: string) =>
      sources.includes("'unsafe-inline'")
        ? `${head}${sources}`
        : `${head}${sources} 'unsafe-inline'`,
  );
}

/** The Vite plugin: applies only to the dev server. */
export function devCsp(): Plugin {
  return {
    name: 'open-softphone-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => allowInlineStyles(html),
  };
}
