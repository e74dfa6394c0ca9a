import type { Check, RawFinding } from '../engine/types.ts';
import { nameOf } from './shared/describe.ts';
import { rulesOf, type Rule } from './shared/rbac-rules.ts';

/** Subresources that hand over a shell, a tunnel, the kubelet or another identity's token. */
const dangerous: readonly {
  group: string;
  resource: string;
  verbs: readonly string[];
  what: string;
}[] = [
  {
    group: '',
    resource: 'pods/exec',
    verbs: ['create', 'get'],
    what: 'run commands in any pod it can see',
  },
  {
    group: '',
    resource: 'pods/attach',
    verbs: ['create', 'get'],
    what: 'attach to running containers',
  },
  {
    group: '',
    resource: 'pods/portforward',
    verbs: ['create', 'get'],
    what: 'tunnel into pods past NetworkPolicies',
  },
  {
    group: '',
    resource: 'nodes/proxy',
    verbs: ['get', 'create', 'update', 'patch'],
    what: 'reach the kubelet API (exec in every pod of the node)',
  },
  {
    group: '',
    resource: 'serviceaccounts/token',
    verbs: ['create'],
    what: 'mint tokens of other service accounts',
  },
];

/** Verbs that are privilege escalation by definition. */
const escalationVerbs: Readonly<Record<string, string>> = {
  escalate: 'grant permissions it does not hold',
  bind: 'bind roles with permissions it does not hold',
  impersonate: 'act as other users, groups or service accounts',
};

function grants(rule: Rule, group: string, resource: string, verbs: readonly string[]): string[] {
  const groupOk = rule.apiGroups.includes(group) || rule.apiGroups.includes('*');
  const [parent] = resource.split('/');
  const resourceOk =
    rule.resources.includes(resource) ||
    rule.resources.includes('*') ||
    rule.resources.includes(`${parent}/*`);
  if (!groupOk || !resourceOk) return [];
  return rule.verbs.includes('*') ? ['*'] : rule.verbs.filter((v) => verbs.includes(v));
}

export const rbacPrivilegeEscalation: Check = {
  id: 'rbac-privilege-escalation',
  severity: 'warning',
  category: 'rbac',
  inputs: 'manifests',
  fixable: false,
  summary:
    'Roles do not grant pods/exec, pods/attach, pods/portforward, nodes/proxy, serviceaccounts/token create, or the escalate, bind and impersonate verbs.',
  remediation:
    'Remove the permission, or give it to a separate role bound only to the people or jobs that need it.',
  docs: `Each of these turns a namespaced role into more: \`pods/exec\` and \`pods/attach\` run code as any
pod's identity (its service-account token, its mounted secrets) — \`get\` counts too, since exec
over WebSockets uses GET; \`pods/portforward\` bypasses NetworkPolicies; \`nodes/proxy\` reaches the
kubelet, which executes in every pod of the node; \`serviceaccounts/token\` \`create\` mints tokens
for other identities; \`escalate\`, \`bind\` and \`impersonate\` are privilege escalation by design
(kube-linter covers only wildcards and secrets; Kubescape C-0002, C-0065). Wildcards count
(\`*\`, \`pods/*\`). Roles the cluster defines (\`system:…\`, admin, edit, view) are exempt, as in
Polaris. Not fixed automatically: who needs the access is a decision.`,
  run({ index }) {
    const out: RawFinding[] = [];
    for (const r of rulesOf(index)) {
      const found: string[] = [];
      for (const d of dangerous) {
        const verbs = grants(r, d.group, d.resource, d.verbs);
        if (verbs.length > 0) found.push(`${verbs.join('/')} ${d.resource} (${d.what})`);
      }
      for (const [verb, what] of Object.entries(escalationVerbs)) {
        if (r.verbs.includes(verb)) found.push(`${verb} (${what})`);
      }
      if (found.length === 0) continue;
      out.push({
        target: r.role,
        path: ['rules', r.index],
        message: `${nameOf(r.role)} grants ${found.join('; ')}`,
      });
    }
    return out;
  },
};
