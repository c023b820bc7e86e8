const MAX_TEXT = 500;
// Shorter values would mangle ordinary words while protecting nothing that could not be guessed.
const MIN_SECRET = 4;

/**
 * Remove every occurrence of the given secrets (and their URL/form encodings) from text received from a
 * server, and cap its length. A misbehaving server may echo a password or client secret back in an
 * `error_description`; it must not reach an error message or a log line.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
  for (const s of secrets) {
    if (s.length < MIN_SECRET) continue;
    for (const variant of new Set([s, encodeURIComponent(s), new URLSearchParams([['', s]]).toString().slice(1)])) {
      out = out.split(variant).join('[redacted]');
    }
  }
  return out;
}
