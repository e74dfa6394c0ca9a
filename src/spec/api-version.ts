/** The one apiVersion of berth's spec documents. */
export const SPEC_API_VERSION = 'berth.dev/v1alpha1';

/** True for a parsed YAML value that is a berth spec document (so audit can tell specs from manifests). */
export function isSpecDocument(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { apiVersion?: unknown }).apiVersion === SPEC_API_VERSION
  );
}
