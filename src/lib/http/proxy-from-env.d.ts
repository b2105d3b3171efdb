// proxy-from-env 2 ships no types. Its one export: the proxy URL for a URL, '' for none (no variable, or NO_PROXY).
declare module 'proxy-from-env' {
  export function getProxyForUrl(url: string | URL): string
}
