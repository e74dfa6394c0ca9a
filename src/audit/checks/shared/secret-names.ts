/** Names that hold credentials, and names that merely mention them (a URL or a file path). */
const secretName =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY|AUTH_?KEY|SERVICE_?KEY)/i;
const harmless = /(_FILE|_PATH|_URL|_URI|_HOST|_PORT|_NAME|_ID|_ENDPOINT|_EXPIRY|_TTL|_HEADER)$/i;

export function looksSecret(name: string, value: unknown): boolean {
  return (
    secretName.test(name) &&
    !harmless.test(name) &&
    typeof value === 'string' &&
    value.trim() !== ''
  );
}
