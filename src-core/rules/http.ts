/**
 * What the page is allowed to load, and the headers of ours that every
 * transport spells the same way.
 */

/**
 * The Content-Security-Policy of every page: only our own scripts, styles,
 * images, fonts and connections; no plugins, frames, workers, forms or
 * base-URL tricks. Sent as a response header by both shells (the desktop
 * adds it to every response of its session, for defense in depth) and
 * written into the page's meta tag at build time.
 */
const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
] as const;

/** Directives a browser ignores (and warns about) in a meta tag; the header carries them. */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors'];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/** The same policy for `<meta http-equiv="Content-Security-Policy">`: without the header-only directives. */
export const CONTENT_SECURITY_POLICY_META = CSP_DIRECTIVES.filter((d) => !HEADER_ONLY_DIRECTIVES.includes(d.split(' ')[0]!)).join('; ');

/** Headers every response of ours carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Carries an upload's file name, URI-encoded (the body is the file itself). Node lower-cases header names it receives. */
export const UPLOAD_FILE_NAME_HEADER = 'X-Snapdesk-File-Name';
