import { BerthError, ErrorCode } from '../errors.ts';
import type { ObjectRef } from '../model/object.ts';
import { describeRef } from '../model/object.ts';

/**
 * The API server refused a request. The message names the object and quotes the server's own
 * message (for example Pod Security admission's), which is what a user needs to fix it.
 */
export class KubeApiError extends BerthError {
  /** HTTP status code (403, 404, 409, 422...). */
  readonly status: number;
  /** The Status reason (`Forbidden`, `Invalid`, `Conflict`, `NotFound`...). */
  readonly reason: string;
  /** The server's message, verbatim. */
  readonly serverMessage: string;
  readonly ref: ObjectRef | undefined;

  constructor(
    init: { status: number; reason: string; serverMessage: string; ref?: ObjectRef; verb: string },
    options?: { cause?: unknown },
  ) {
    const what = init.ref ? describeRef(init.ref) : 'request';
    super(
      ErrorCode.cluster,
      `${what}: ${init.verb} refused by the API server (${init.status} ${init.reason}): ${init.serverMessage}`,
      options,
    );
    this.name = 'KubeApiError';
    this.status = init.status;
    this.reason = init.reason;
    this.serverMessage = init.serverMessage;
    this.ref = init.ref;
  }
}

/** The cluster could not be reached or configured (no kubeconfig, connection refused, TLS). */
export class ClusterUnreachableError extends BerthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.cluster, message, options);
    this.name = 'ClusterUnreachableError';
  }
}

/** A wait reached its deadline. */
export class DeadlineError extends BerthError {
  constructor(message: string) {
    super(ErrorCode.timeout, message);
    this.name = 'DeadlineError';
  }
}

/** The cluster does not serve the object's kind (its CRD is not installed, or a typo). */
export class UnknownKindError extends BerthError {
  readonly ref: ObjectRef;
  constructor(ref: ObjectRef) {
    super(
      ErrorCode.cluster,
      `${describeRef(ref)}: the cluster does not serve kind ${ref.kind} in ${ref.apiVersion}` +
        ' (is its CustomResourceDefinition installed?)',
    );
    this.name = 'UnknownKindError';
    this.ref = ref;
  }
}
