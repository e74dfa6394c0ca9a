// Every audit check, registered once, in the order of docs/checks.md. Adding a check: one file in
// this folder, one line here, pass and fail fixtures in test/audit/fixtures/checks/<id>/, then
// `npm run docs:checks`.
import type { Check } from '../engine/types.ts';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.ts';
import { automountServiceAccountToken } from './automount-service-account-token.ts';
import { clusterAdminBinding } from './cluster-admin-binding.ts';
import { danglingHpa } from './dangling-hpa.ts';
import { danglingIngress } from './dangling-ingress.ts';
import { danglingNetworkPolicy } from './dangling-network-policy.ts';
import { danglingService } from './dangling-service.ts';
import { defaultDeny } from './default-deny.ts';
import { defaultServiceAccount } from './default-service-account.ts';
import { deprecatedApiVersion } from './deprecated-api-version.ts';
import { dnsEgress } from './dns-egress.ts';
import { dockerfileBaseImageTag } from './dockerfile-base-image-tag.ts';
import { dockerfileCacheCleanup } from './dockerfile-cache-cleanup.ts';
import { dockerfileCopyChown } from './dockerfile-copy-chown.ts';
import { dockerfileExecForm } from './dockerfile-exec-form.ts';
import { dockerfileHealthcheck } from './dockerfile-healthcheck.ts';
import { dockerfileManifestEnv } from './dockerfile-manifest-env.ts';
import { dockerfileManifestPort } from './dockerfile-manifest-port.ts';
import { dockerfileManifestUser } from './dockerfile-manifest-user.ts';
import { dockerfilePlaywrightPath } from './dockerfile-playwright-path.ts';
import { dockerfileTestsExcluded } from './dockerfile-tests-excluded.ts';
import { dockerfileUserCheck } from './dockerfile-user.ts';
import { dropAllCapabilities } from './drop-all-capabilities.ts';
import { duplicateEnvVar } from './duplicate-env-var.ts';
import { emptydirSizeLimit } from './emptydir-size-limit.ts';
import { ephemeralStorage } from './ephemeral-storage.ts';
import { fixedUserId } from './fixed-user-id.ts';
import { hostNamespaces } from './host-namespaces.ts';
import { guaranteedMemory } from './guaranteed-memory.ts';
import { hostPathVolume } from './host-path-volume.ts';
import { hostPort } from './host-port.ts';
import { hpaBounds } from './hpa-bounds.ts';
import { identicalProbes } from './identical-probes.ts';
import { imageTag } from './image-tag.ts';
import { invalidObject } from './invalid-object.ts';
import { invalidSelector } from './invalid-selector.ts';
import { invalidSuppression } from './invalid-suppression.ts';
import { parseError } from './parse-error.ts';
import { livenessProbe } from './liveness-probe.ts';
import { namespacePodSecurity } from './namespace-pod-security.ts';
import { networkPolicyCoverage } from './network-policy-coverage.ts';
import { pdbBlocksEviction } from './pdb-blocks-eviction.ts';
import { pdbMissing } from './pdb-missing.ts';
import { pdbUnhealthyEviction } from './pdb-unhealthy-eviction.ts';
import { podSecurity } from './pod-security.ts';
import { podSecurityLabelPlacement } from './pod-security-label-placement.ts';
import { privilegedContainer } from './privileged-container.ts';
import { privilegedPortCapability } from './privileged-port-capability.ts';
import { probePort } from './probe-port.ts';
import { probeThresholds } from './probe-thresholds.ts';
import { prometheusAnnotations } from './prometheus-annotations.ts';
import { rbacDanglingRoleRef } from './rbac-dangling-role-ref.ts';
import { rbacPrivilegeEscalation } from './rbac-privilege-escalation.ts';
import { rbacSecretsAccess } from './rbac-secrets-access.ts';
import { rbacWildcard } from './rbac-wildcard.ts';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.ts';
import { readinessProbe } from './readiness-probe.ts';
import { resourceLimits } from './resource-limits.ts';
import { resourceRequests } from './resource-requests.ts';
import { runAsNonRoot } from './run-as-non-root.ts';
import { schemaValidation } from './schema-validation.ts';
import { seccompProfile } from './seccomp-profile.ts';
import { secretInConfigmap } from './secret-in-configmap.ts';
import { secretInEnv } from './secret-in-env.ts';
import { secretInManifest } from './secret-in-manifest.ts';
import { selectorMismatch } from './selector-mismatch.ts';
import { serviceTargetPort } from './service-target-port.ts';
import { startupProbe } from './startup-probe.ts';
import { terminationGracePeriod } from './termination-grace-period.ts';
import { statefulsetServiceName } from './statefulset-service-name.ts';
import { jobRestartPolicy } from './job-restart-policy.ts';
import { cronjobStartingDeadline } from './cronjob-starting-deadline.ts';
import { hpaSingleReplica } from './hpa-single-replica.ts';
import { topologySpread } from './topology-spread.ts';
import { ingressTls } from './ingress-tls.ts';
import { writablePathsMounted } from './writable-paths-mounted.ts';

export const checks: readonly Check[] = [
  // Input
  parseError,
  invalidObject,
  invalidSuppression,
  schemaValidation,
  deprecatedApiVersion,
  // Pod and container security (seeds 001/002)
  runAsNonRoot,
  fixedUserId,
  seccompProfile,
  allowPrivilegeEscalation,
  dropAllCapabilities,
  privilegedPortCapability,
  readOnlyRootFilesystem,
  writablePathsMounted,
  privilegedContainer,
  hostNamespaces,
  hostPathVolume,
  hostPort,
  automountServiceAccountToken,
  defaultServiceAccount,
  secretInEnv,
  secretInConfigmap,
  secretInManifest,
  // Pod Security admission
  podSecurity,
  podSecurityLabelPlacement,
  namespacePodSecurity,
  // Reliability
  imageTag,
  resourceRequests,
  resourceLimits,
  guaranteedMemory,
  ephemeralStorage,
  emptydirSizeLimit,
  livenessProbe,
  readinessProbe,
  startupProbe,
  probePort,
  identicalProbes,
  probeThresholds,
  terminationGracePeriod,
  pdbMissing,
  pdbBlocksEviction,
  pdbUnhealthyEviction,
  hpaBounds,
  hpaSingleReplica,
  topologySpread,
  statefulsetServiceName,
  jobRestartPolicy,
  cronjobStartingDeadline,
  serviceTargetPort,
  // Hygiene and references between objects
  selectorMismatch,
  invalidSelector,
  danglingService,
  danglingIngress,
  danglingNetworkPolicy,
  danglingHpa,
  duplicateEnvVar,
  prometheusAnnotations,
  // Network
  defaultDeny,
  dnsEgress,
  networkPolicyCoverage,
  ingressTls,
  // RBAC
  rbacWildcard,
  rbacSecretsAccess,
  rbacPrivilegeEscalation,
  rbacDanglingRoleRef,
  clusterAdminBinding,
  // Dockerfiles
  dockerfileUserCheck,
  dockerfileExecForm,
  dockerfileHealthcheck,
  dockerfileCacheCleanup,
  dockerfileCopyChown,
  dockerfileTestsExcluded,
  dockerfilePlaywrightPath,
  dockerfileBaseImageTag,
  // Dockerfile ↔ manifest
  dockerfileManifestUser,
  dockerfileManifestPort,
  dockerfileManifestEnv,
];
