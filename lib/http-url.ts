/** Parses `text` (against `base`, if given); undefined unless the result is an http(s) URL. */
export function parseHttpUrl(text: string, base?: string): URL | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}
