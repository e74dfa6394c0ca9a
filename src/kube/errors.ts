/**
 * How the Kubernetes port fails: `KubeError` and one subclass per reason a caller acts on.
 * Callers branch on the class (or `reason`), never on message text. Messages name the object
 * (or the server) and quote the server's own words, which is what a user needs to fix it.
 */
import { BerthError, ErrorCode } from '../errors.ts';
import type { ObjectRef } from '../model/object.ts';
import { describeRef } from '../model/object.ts';

export const KubeReason = {
  notFound: 'NotFound',
  alreadyExists: 'AlreadyExists',
  conflict: 'Conflict',
  gone: 'Gone',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  invalid: 'Invalid',
  unknownKind: 'UnknownKind',
  timeout: 'Timeout',
  unavailable: 'Unavailable',
  /** Any other refusal (400, 405, 415...). */
  refused: 'Refused',
} as const;
export type KubeReason = (typeof KubeReason)[keyof typeof KubeReason];

export interface KubeErrorInit {
  /** HTTP status when the server answered. */
  status?: number;
  /** The server's message, verbatim (empty when it never answered). */
  serverMessage?: string;
  ref?: ObjectRef;
  /** The API server (`https://host:port`). */
  server?: string;
  /** `Status.details.causes`: for an SSA conflict, one per field with the other manager. */
  causes?: StatusCause[];
  cause?: unknown;
}

/** One cause of a Status (`FieldManagerConflict`, `FieldValueInvalid`...). */
export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export class KubeError extends BerthError {
  readonly reason: KubeReason;
  readonly status: number | undefined;
  readonly serverMessage: string;
  readonly ref: ObjectRef | undefined;
  readonly server: string | undefined;
  readonly causes: readonly StatusCause[];

  constructor(reason: KubeReason, message: string, init: KubeErrorInit = {}) {
    super(
      reason === KubeReason.timeout ? ErrorCode.timeout : ErrorCode.cluster,
      message,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'KubeError';
    this.reason = reason;
    this.status = init.status;
    this.serverMessage = init.serverMessage ?? '';
    this.ref = init.ref;
    this.server = init.server;
    this.causes = init.causes ?? [];
  }
}

/** The object (or its namespace) does not exist. */
export class NotFoundError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.notFound, message, init);
    this.name = 'NotFoundError';
  }
}

/** A write lost a race (resourceVersion, precondition) or an SSA field conflict. */
export class ConflictError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}, reason: KubeReason = KubeReason.conflict) {
    super(reason, message, init);
    this.name = 'ConflictError';
  }
}

/** `create` of an object that exists. */
export class AlreadyExistsError extends ConflictError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(message, init, KubeReason.alreadyExists);
    this.name = 'AlreadyExistsError';
  }
}

/** A watch or list from a resourceVersion the server no longer has: re-list. */
export class GoneError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.gone, message, init);
    this.name = 'GoneError';
  }
}

/** 401: the credentials were refused. Reported once for the whole operation, as kubectl does. */
export class UnauthorizedError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.unauthorized, message, init);
    this.name = 'UnauthorizedError';
  }
}

/** 403: the credentials are fine but RBAC (or admission) forbids this. */
export class ForbiddenError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.forbidden, message, init);
    this.name = 'ForbiddenError';
  }
}

/** 422 (and 400 on writes): the object is invalid; the server's message names the fields. */
export class InvalidError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.invalid, message, init);
    this.name = 'InvalidError';
  }
}

/** The cluster does not serve the object's kind (its CRD is not installed, or a typo). */
export class UnknownKindError extends KubeError {
  constructor(ref: ObjectRef, init: KubeErrorInit = {}) {
    super(
      KubeReason.unknownKind,
      `${describeRef(ref)}: the cluster does not serve kind ${ref.kind} in ${ref.apiVersion}` +
        ' (is its CustomResourceDefinition installed?)',
      { ...init, ref },
    );
    this.name = 'UnknownKindError';
  }
}

/** A deadline passed: the request's, or the whole operation's (`--timeout`). */
export class TimeoutError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.timeout, message, init);
    this.name = 'TimeoutError';
  }
}

/**
 * The server could not be reached or kept failing (connection refused or reset, TLS, 5xx, 429)
 * after the retries.
 */
export class UnavailableError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.unavailable, message, init);
    this.name = 'UnavailableError';
  }
}

/** Any other refusal by the server (400 on reads, 405, 415...). */
export class RefusedError extends KubeError {
  constructor(message: string, init: KubeErrorInit = {}) {
    super(KubeReason.refused, message, init);
    this.name = 'RefusedError';
  }
}

/** The cluster is not configured (no kubeconfig, bad context, unreadable certificate). */
export class ClusterUnreachableError extends BerthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.cluster, message, options);
    this.name = 'ClusterUnreachableError';
  }
}

/** Whether the error says the server refused the object itself (not the credentials or the link). */
export function isObjectRefusal(error: unknown): error is KubeError {
  return (
    error instanceof KubeError &&
    (error instanceof InvalidError ||
      error instanceof ForbiddenError ||
      error instanceof ConflictError ||
      error instanceof NotFoundError ||
      error instanceof UnknownKindError ||
      error instanceof RefusedError)
  );
}

/** What the server said, as `reason` + `message`, from a Kubernetes `Status` body. */
export interface StatusAnswer {
  status: number;
  /** The response body (a Status object, or a proxy's HTML page). */
  text: string;
}

/** Reason, message and causes of a Status body; the raw text when it is not one. */
function parseStatus(answer: StatusAnswer): {
  reason: string;
  message: string;
  causes: StatusCause[];
} {
  const out = {
    reason: '',
    message: answer.text.trim().slice(0, 2000) || `HTTP ${answer.status}`,
    causes: [] as StatusCause[],
  };
  try {
    const status = JSON.parse(answer.text) as {
      reason?: unknown;
      message?: unknown;
      details?: { causes?: unknown };
    };
    if (typeof status.reason === 'string') out.reason = status.reason;
    if (typeof status.message === 'string' && status.message) out.message = status.message;
    if (Array.isArray(status.details?.causes)) out.causes = status.details.causes as StatusCause[];
  } catch {
    // Not a Status object (a proxy's HTML page): the raw text is quoted instead.
  }
  return out;
}

/**
 * The error for a non-2xx answer. `verb` says what was attempted (`apply`, `list Pod`), `ref`
 * which object; the message quotes the server verbatim.
 */
export function errorFromStatus(
  answer: StatusAnswer,
  context: { verb: string; ref?: ObjectRef; server: string; context?: string },
): KubeError {
  const { reason, message, causes } = parseStatus(answer);
  const init: KubeErrorInit = {
    status: answer.status,
    serverMessage: message,
    server: context.server,
    causes,
    ...(context.ref ? { ref: context.ref } : {}),
  };
  const what = context.ref ? describeRef(context.ref) : context.verb;
  const refused = (label: string): string =>
    `${what}: ${context.ref ? `${context.verb} ` : ''}refused by the API server (${answer.status} ${label}): ${message}`;
  switch (answer.status) {
    case 401:
      return new UnauthorizedError(
        `credentials refused by ${context.server}${context.context ? ` (context "${context.context}")` : ''}: ${message}` +
          ' (the token or certificate is wrong, expired or revoked; check the kubeconfig user)',
        init,
      );
    case 403:
      return new ForbiddenError(refused('Forbidden'), init);
    case 404:
      return new NotFoundError(refused('NotFound'), init);
    case 409:
      return reason === 'AlreadyExists'
        ? new AlreadyExistsError(refused('AlreadyExists'), init)
        : new ConflictError(refused('Conflict'), init);
    case 410:
      return new GoneError(refused('Gone'), init);
    case 422:
      return new InvalidError(refused('Invalid'), init);
    case 504:
      return new TimeoutError(
        `${what}: the API server at ${context.server} timed out (504): ${message}`,
        init,
      );
    default:
      if (answer.status === 400 && reason !== 'BadRequest' && reason !== '')
        return new InvalidError(refused(reason), init);
      if (answer.status === 429 || answer.status >= 500)
        return new UnavailableError(
          `${what}: the API server at ${context.server} answered ${answer.status}${reason ? ` ${reason}` : ''}: ${message}`,
          init,
        );
      return new RefusedError(refused(reason || `HTTP ${answer.status}`), init);
  }
}
