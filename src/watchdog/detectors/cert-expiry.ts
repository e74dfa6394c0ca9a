/**
 * Seed 003's `cert-expiry`: cert-manager Certificates expiring within 21 days (or not Ready), and
 * TLS Secrets by their certificate's notAfter. Only `tls.crt` (public) is read; the adapter never
 * keeps `tls.key`.
 */
import { X509Certificate } from 'node:crypto';
import type { Detector, Finding } from '../model.ts';
import { conditionOf, finding, list, stringAt } from './helpers.ts';

const id = 'cert-expiry';
const day = 86_400_000;

export const certExpiry: Detector = {
  id,
  severity: 'critical',
  description:
    'cert-manager Certificates whose notAfter is within 21 days (critical within 7 days or expired) or whose Ready condition is False, and Secrets of type kubernetes.io/tls whose certificate expires within 21 days. Secrets managed by a Certificate are reported once, through it.',
  remediation:
    "Check the issuer and the Certificate's events (`kubectl describe certificate`), or renew the certificate in the Secret.",
  reads: ['cert-manager.io/Certificate', 'Secret'],
  trigger: 'schedule',
  schedule: 'every 1h',
  detect(state, options) {
    const out: Finding[] = [];
    const managed = new Set<string>();
    for (const cert of list(state, 'cert-manager.io/Certificate')) {
      const secret = stringAt(cert, 'spec.secretName');
      if (secret) managed.add(`${cert.metadata.namespace}/${secret}`);
      const name = `${cert.metadata.namespace}/${cert.metadata.name}`;
      const ready = conditionOf(cert, 'Ready');
      const notAfter = Date.parse(stringAt(cert, 'status.notAfter') ?? '');
      const expiring = expiry(notAfter, state.now, options.certificateDays);
      if (expiring)
        out.push(
          finding(id, {
            severity: expiring.severity,
            object: cert,
            reason: expiring.reason,
            message: `Certificate ${name} ${expiring.text}`,
            evidence: [
              `notAfter ${new Date(notAfter).toISOString()}`,
              `Ready=${ready?.status ?? 'unknown'}`,
            ],
          }),
        );
      else if (ready?.status === 'False')
        out.push(
          finding(id, {
            severity: 'warning',
            object: cert,
            reason: 'CertificateNotReady',
            message: `Certificate ${name} is not Ready: ${ready.message ?? ready.reason ?? ''}`,
            evidence: [`Ready=False: ${ready.reason ?? ''} ${ready.message ?? ''}`.trim()],
          }),
        );
    }
    for (const secret of list(state, 'Secret')) {
      if (stringAt(secret, 'type') !== 'kubernetes.io/tls') continue;
      const key = `${secret.metadata.namespace}/${secret.metadata.name}`;
      if (managed.has(key)) continue;
      const notAfter = certificateNotAfter(
        (secret as { data?: Record<string, string> }).data?.['tls.crt'],
      );
      if (notAfter === undefined) continue;
      const expiring = expiry(notAfter, state.now, options.certificateDays);
      if (expiring)
        out.push(
          finding(id, {
            severity: expiring.severity,
            object: secret,
            reason: expiring.reason,
            message: `TLS Secret ${key} ${expiring.text}`,
            evidence: [`notAfter ${new Date(notAfter).toISOString()}`],
          }),
        );
    }
    return out;
  },
};

function expiry(
  notAfter: number,
  now: number,
  days: number,
): { severity: 'warning' | 'critical'; reason: string; text: string } | undefined {
  if (Number.isNaN(notAfter)) return undefined;
  const left = notAfter - now;
  if (left <= 0) return { severity: 'critical', reason: 'CertificateExpired', text: 'has expired' };
  if (left > days * day) return undefined;
  const inDays = Math.floor(left / day);
  return {
    severity: left <= 7 * day ? 'critical' : 'warning',
    reason: 'CertificateExpiring',
    text: `expires in ${inDays} day(s)`,
  };
}

/** notAfter (ms) of the first certificate in base64 PEM data; undefined when unreadable. */
export function certificateNotAfter(base64Pem: string | undefined): number | undefined {
  if (!base64Pem) return undefined;
  try {
    const cert = new X509Certificate(Buffer.from(base64Pem, 'base64'));
    const t = Date.parse(cert.validTo);
    return Number.isNaN(t) ? undefined : t;
  } catch {
    return undefined;
  }
}
