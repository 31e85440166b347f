/**
 * `return=` (where to go back to after signing in or choosing a language) is chosen by whoever
 * wrote the link, so it is parsed the way a browser will parse it and kept only when it stays
 * on this site. Checking the text alone is not enough: browsers drop tab, CR and LF inside a
 * URL and read `\` as `/`, so `/<TAB>/evil.example` is `//evil.example` to them, another host.
 *
 * The answer is the parsed path, query and fragment, percent-encoded by the URL parser, so it
 * is plain ASCII and always fits in a `Location` header (a raw non-Latin-1 character there
 * made Node refuse to send the redirect).
 */

/** A stand-in origin: only its being the same before and after parsing matters. */
const ownOrigin = 'http://huduma.invalid';

/** C0 controls, space, DEL and backslash: no path we link to contains one. */
const refusedCharacters = /[\u0000-\u0020\u007f\\]/u;

/** The same-site path `value` names, or `fallback` when it is absent or leaves the site. */
export function safeReturnPath(value: string | undefined, fallback = '/'): string {
  if (value === undefined || !value.startsWith('/') || refusedCharacters.test(value)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, ownOrigin);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//x" parses to the path "//x", which a browser would read as the host x.
  if (url.origin !== ownOrigin || path.startsWith('//')) return fallback;
  return path;
}
