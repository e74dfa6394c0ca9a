/** `--kube-version`: `1.30`, `v1.30` or `1.30.2` → the minor (30); undefined when malformed. */
export function parseKubeMinor(text: string): number | undefined {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}
