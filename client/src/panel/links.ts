// Which links from a reply the extension opens: http(s) only. The webview offers only those; the host checks
// again, since what a webview posts is not to be trusted. Pure.

export function isOpenableLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
