import {
  hexEntropyThreshold,
  isHighEntropyHex,
  isHighEntropyToken,
  maxEntropyThreshold,
  minGenericLength,
  minHexLength,
  relativeEntropyThreshold,
} from './entropy.ts';

/**
 * The one table of secret formats berth recognises in values: audit checks (env values,
 * ConfigMap data), the watchdog and the LLM prompt masking all read it. Pure data.
 *
 * Each regex has the `g` and `d` flags. When it has a named group `secret`, only that group is
 * the secret (the rest is context, such as `AccountKey=`); otherwise the whole match is.
 * Entries are tried in table order; a later entry never reports text an earlier one already did,
 * so specific formats come before the generic high-entropy rule (see `entropy.ts`).
 */

export interface SecretPattern {
  /** Stable kebab-case id, printed in findings and in masks. */
  id: string;
  /** One line: what the pattern finds. */
  description: string;
  regex: RegExp;
  /** Where the format is documented, and what is deliberately not matched. */
  docs: string;
  /** A further test of a match (the generic rules: entropy). `before` is the text just before it. */
  accept?: (match: string, before: string) => boolean;
}

/**
 * Key names whose value is a secret (secret-assignment), as the end of a name: `DB_PASSWORD`,
 * `api-key`, `github.token`, `dbPassword`. Case-insensitive.
 */
const secretNames = [
  'password',
  'passwd',
  'token',
  // Only after a prefix (APP_SECRET, client_secret): a bare `secret:` names a Secret object in
  // YAML (secretRef, ESO: `apiKey: {secret: berth-env}`).
  '(?<=[_.-])secret',
  'api[_-]?key',
  'private[_-]?key',
  'access[_-]?key',
  'secret[_-]?key',
  'credentials?',
  'auth',
  // camelCase: dbPassword, authToken, apiKey (the case is not checked: the i flag). Not
  // …Secret: existingSecret, tlsSecret name a Secret object, they do not hold one.
  '[a-z0-9]+(?:password|passwd|token|apikey|privatekey|accesskey|credentials?)',
].join('|');

/** Values of a secret-named key that are not a secret. */
const placeholders =
  /^(?:true|false|null|nil|none|empty|unset|redacted|masked|hidden|required|optional|string|\*+|x+)$/i;

export const secretPatterns: readonly SecretPattern[] = [
  {
    id: 'pem-private-key',
    description: 'A PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted PKCS#8).',
    regex:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]{0,8192})/dg,
    docs: 'RFC 7468 labels ending in PRIVATE KEY. A block without its END line (truncated) is masked to the end of the next 8 KiB. Public keys and certificates are not secrets and are not matched.',
  },
  {
    id: 'aws-access-key-id',
    description: 'An AWS access key id (AKIA…, ASIA…: long-term or temporary).',
    regex: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b/dg,
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids — 20 characters, a 4-character prefix naming the key type.',
  },
  {
    id: 'aws-secret-access-key',
    description: 'An AWS secret access key next to its usual name (aws_secret_access_key = …).',
    regex:
      /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    docs: '40 base64 characters. Alone they are indistinguishable from other random strings, so this entry needs the key name; a bare one is caught by generic-high-entropy.',
  },
  {
    id: 'gcp-service-account-key',
    description: 'The private key (or its id) inside a GCP service-account JSON key file.',
    regex: /"private_key(?:_id)?"\s*:\s*"(?<secret>[^"]{16,})"/dg,
    docs: 'https://cloud.google.com/iam/docs/keys-create-delete — the JSON has "type": "service_account" and "private_key": "-----BEGIN PRIVATE KEY-----\\n…". The key id is masked too: it names a live credential.',
  },
  {
    id: 'gcp-api-key',
    description: 'A Google Cloud API key (AIza…).',
    regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/dg,
    docs: 'https://cloud.google.com/docs/authentication/api-keys — 39 characters starting with AIza.',
  },
  {
    id: 'azure-storage-key',
    description:
      'An Azure storage account key or shared access key in a connection string (AccountKey=, SharedAccessKey=).',
    regex: /\b(?:AccountKey|SharedAccessKey|AccessKey)=(?<secret>[A-Za-z0-9+/]{30,}={0,2})/dg,
    docs: 'https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string — storage keys are 88 base64 characters; Service Bus and Event Hubs keys are 44.',
  },
  {
    id: 'azure-sas-signature',
    description: 'The signature of an Azure shared access signature URL (sig=…).',
    regex: /[?&]sig=(?<secret>[A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})/dg,
    docs: 'https://learn.microsoft.com/azure/storage/common/storage-sas-overview — the rest of the URL is not secret and is kept.',
  },
  {
    id: 'azure-client-secret',
    description: 'An Entra ID (Azure AD) application client secret (…Q~…).',
    regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/dg,
    docs: 'Client secrets created since 2021 have a 3-character id, a digit and the marker Q~ followed by 31–34 characters.',
  },
  {
    id: 'oci-api-key-passphrase',
    description: 'The pass_phrase of an Oracle Cloud (OCI) API signing key in an OCI config file.',
    regex: /\bpass_?phrase\s*[=:]\s*["']?(?<secret>[^\s"']{4,})/dgi,
    docs: 'https://docs.oracle.com/iaas/Content/API/Concepts/sdkconfig.htm — the signing key itself is a PEM block (pem-private-key); OCIDs and fingerprints identify, they do not authenticate, and are kept.',
  },
  {
    id: 'oci-registry-auth',
    description:
      'Registry credentials in a Docker/OCI config.json ("auth": base64 of user:password).',
    regex: /"(?:auth|identitytoken|registrytoken|password)"\s*:\s*"(?<secret>[^"]{8,})"/dg,
    docs: 'https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md — what a kubernetes.io/dockerconfigjson Secret holds.',
  },
  {
    id: 'github-token',
    description:
      'A GitHub token: personal (classic or fine-grained), OAuth, user-to-server, server-to-server or refresh.',
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255})\b/dg,
    docs: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/ — prefixes ghp_, gho_, ghu_, ghs_, ghr_ and github_pat_.',
  },
  {
    id: 'gitlab-token',
    description: 'A GitLab token (personal, project, group, deploy, runner, trigger, feed, OAuth).',
    regex:
      /\bgl(?:pat|ptt|dt|rt|cbt|oas|imt|ft|soat|ffct|agent)-[A-Za-z0-9_.-]{20,}(?![A-Za-z0-9_.-])/dg,
    docs: 'https://docs.gitlab.com/security/tokens/#token-prefixes — every prefix starts with gl and ends with a dash.',
  },
  {
    id: 'slack-token',
    description:
      'A Slack bot, user, app-level, refresh or configuration token (xoxb-, xoxp-, xapp-…).',
    regex: /\b(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]{10,}/dg,
    docs: 'https://api.slack.com/authentication/token-types',
  },
  {
    id: 'slack-webhook',
    description: 'The secret path of a Slack incoming webhook URL.',
    regex:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9/_-]{20,})/dg,
    docs: 'https://api.slack.com/messaging/webhooks — the URL is the credential; the host is kept so the mask still says where it pointed.',
  },
  {
    id: 'discord-webhook',
    description: 'The token of a Discord webhook URL.',
    regex:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/(?<secret>[A-Za-z0-9_-]{30,})/dg,
    docs: 'https://discord.com/developers/docs/resources/webhook — /api/webhooks/<id>/<token>; the id is kept.',
  },
  {
    id: 'discord-bot-token',
    description: 'A Discord bot token (base64 user id, timestamp and HMAC, dot-separated).',
    regex: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/dg,
    docs: 'https://discord.com/developers/docs/reference#authentication — the first part is the base64 of a snowflake id, hence M, N or O.',
  },
  {
    id: 'openai-api-key',
    description: 'An OpenAI or Anthropic API key (sk-…, sk-proj-…, sk-ant-…).',
    regex:
      /\bsk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/dg,
    docs: 'https://platform.openai.com/docs/api-reference/authentication — what the LLM adapter itself holds, so prompts and logs never echo it.',
  },
  {
    id: 'jwt',
    description: 'A JSON Web Token (header.payload.signature, base64url, header starting eyJ).',
    regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/dg,
    docs: 'RFC 7519. Service-account tokens, OIDC id tokens and Supabase keys are JWTs; an unsigned token (alg none, empty signature) is matched too.',
  },
  {
    id: 'url-credentials',
    description:
      'A password in a URL (scheme://user:password@host, or scheme://:password@host with no user).',
    regex: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']*:(?<secret>(?![$])[^/\s@"']{3,})@/dgi,
    docs: 'RFC 3986 userinfo; the user may be empty (redis://:password@host). A password starting with $ (a Kubernetes $(VAR) or shell ${VAR} reference) is not a literal and is not matched.',
  },
  {
    id: 'bearer-token',
    description: 'The credential after Bearer or Basic in an Authorization header.',
    regex: /\b(?:Bearer|Basic)[ \t]+(?<secret>(?![$[<{])[A-Za-z0-9._~+/-]{8,}=*)/dg,
    docs: 'RFC 6750 / RFC 7617. The scheme name is kept; a reference ($TOKEN) or masked text is not matched.',
  },
  {
    id: 'secret-assignment',
    description:
      'The value of a secret-named key: DB_PASSWORD=…, api_key: …, "token": "…", clientSecret=….',
    regex: new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])(?:[A-Za-z0-9]+[_.-])*(?:${secretNames})["']?[ 	]*[:=][ 	]*["']?(?<secret>(?![$\[<{*%])[^\s"',;&]{4,})`,
      'dgi',
    ),
    accept: (value) => !placeholders.test(value),
    docs: 'A name ending in PASSWORD, PASSWD, TOKEN, SECRET, API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY, CREDENTIAL(S) or AUTH (any case; underscore, dot or dash separated, or camelCase like dbPassword, apiKey, but not a bare secret or …Secret: `secret: berth-env`, existingSecret name a Secret object; nor PWD, the working directory), then = or : and a literal. Names that only start with such a word (TOKEN_TTL, password_policy) and prose without = or : (password policy updated, token bucket) are not matched; nor are references ($VAR, ${VAR}, $(VAR)), already masked text ([redacted:…], <…>, ***) and placeholders (true, false, null, none, empty, redacted).',
  },
  {
    id: 'secret-after-word',
    description:
      'A password-like word right after password/passwd/token in prose (password Hunter2-Cloud-9).',
    regex:
      /(?<![A-Za-z0-9_.-])(?:password|passwd|passphrase|token)[ \t]+(?<secret>(?![$[<{*])[^\s"',;&]{6,})/dgi,
    accept: (value) =>
      /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !/^v?\d+(?:\.\d+)*$/.test(value),
    docs: 'Only a value with a letter and a digit: prose (password policy updated, token bucket, password was rotated) has none; version numbers (v1.2.3) are kept.',
  },
  {
    id: 'generic-high-entropy',
    description: 'A random-looking base64 or base64url token no specific format names.',
    regex: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])/dg,
    accept: (match) => isHighEntropyToken(match),
    docs: `At least ${minGenericLength} characters with upper- and lower-case letters and a digit, a Shannon entropy of at least min(${relativeEntropyThreshold} × log2(length), ${maxEntropyThreshold}) bits per character, and less than 40 % of it in lowercase runs of three or more letters (words). UUIDs are identifiers and are not matched.`,
  },
  {
    id: 'generic-hex',
    description: 'A long random-looking hexadecimal token (an API key or a shared secret).',
    regex: /(?<![A-Za-z0-9])(?:[0-9a-f]{32,}|[0-9A-F]{32,})(?![A-Za-z0-9])/dg,
    accept: (match, before) => isHighEntropyHex(match, before),
    docs: `At least ${minHexLength} hex digits with a Shannon entropy of at least ${hexEntropyThreshold} bits per character, not after a digest prefix (sha256:, @). Commit ids are hex too, so the audit does not use this entry for values (only for names that look secret); masking does.`,
  },
];
