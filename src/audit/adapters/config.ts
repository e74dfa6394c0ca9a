/**
 * `.berth-audit.yaml`: which checks run, severity overrides, paths to ignore (third-party
 * charts), Pod Security defaults and Dockerfile ↔ image links. Read from `--config` or the
 * working directory; absent means defaults.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../../errors.ts';
import { parseYamlStream, positionOf, type YamlDocument } from '../../yaml/stream.ts';
import { isRecord } from '../engine/pods.ts';
import { PodSecurityLevel, Severity, type AuditSettings } from '../engine/types.ts';

export const configFileName = '.berth-audit.yaml';

export interface AuditConfig {
  include?: string[];
  exclude: string[];
  severity: Record<string, Severity>;
  ignorePaths: string[];
  settings: Partial<AuditSettings>;
  /** Dockerfile path → image repositories it builds. */
  dockerfiles: Map<string, string[]>;
  /** The file it came from, if any. */
  file?: string;
}

const topKeys = new Set([
  'checks',
  'severity',
  'ignorePaths',
  'podSecurity',
  'drainSeconds',
  'dockerfiles',
]);

export function loadConfig(options: {
  cwd: string;
  path?: string;
  knownChecks: ReadonlySet<string>;
}): AuditConfig {
  const config: AuditConfig = {
    exclude: [],
    severity: {},
    ignorePaths: [],
    settings: {},
    dockerfiles: new Map(),
  };
  const path = options.path ?? configFileName;
  const absolute = isAbsolute(path) ? path : join(options.cwd, path);
  const text = readConfigText(absolute, path, options.path === undefined);
  if (text === undefined) return config;
  config.file = path;
  const stream = parseYamlStream(text, path);
  const diagnostics: Diagnostic[] = [...stream.diagnostics];
  const doc = stream.documents[0];
  const value = doc?.value;
  if (doc && value !== null && value !== undefined) {
    if (!isRecord(value))
      diagnostics.push({
        position: positionOf(doc, []),
        message: 'the audit config must be a mapping',
      });
    else readConfig(doc, value, config, options.knownChecks, diagnostics);
  }
  if (diagnostics.length > 0) throw new InvalidInputError(diagnostics);
  return config;
}

function readConfig(
  doc: YamlDocument,
  value: Record<string, unknown>,
  config: AuditConfig,
  known: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): void {
  const report = (path: (string | number)[], message: string, hint?: string): void => {
    const d: Diagnostic = { position: positionOf(doc, path), path: path.join('.'), message };
    if (hint !== undefined) d.hint = hint;
    diagnostics.push(d);
  };
  for (const key of Object.keys(value))
    if (!topKeys.has(key))
      report([key], `unknown field "${key}"`, `known fields: ${[...topKeys].join(', ')}`);
  const ids = (path: (string | number)[], list: unknown): string[] => {
    if (!Array.isArray(list)) {
      if (list !== undefined) report(path, 'must be a list of check ids');
      return [];
    }
    return list.filter((id, i): id is string => {
      if (typeof id === 'string' && known.has(id)) return true;
      report([...path, i], `unknown check "${String(id)}"`, 'see docs/checks.md');
      return false;
    });
  };
  const checks = value.checks;
  if (checks !== undefined) {
    if (!isRecord(checks)) report(['checks'], 'must be a mapping with include and exclude');
    else {
      if (checks.include !== undefined) config.include = ids(['checks', 'include'], checks.include);
      config.exclude = ids(['checks', 'exclude'], checks.exclude);
    }
  }
  if (isRecord(value.severity)) {
    for (const [id, level] of Object.entries(value.severity)) {
      if (!known.has(id)) report(['severity', id], `unknown check "${id}"`);
      else if (!Object.values(Severity).includes(level as Severity))
        report(['severity', id], `severity must be error, warning or info`);
      else config.severity[id] = level as Severity;
    }
  }
  if (value.ignorePaths !== undefined) {
    if (Array.isArray(value.ignorePaths) && value.ignorePaths.every((p) => typeof p === 'string'))
      config.ignorePaths = value.ignorePaths;
    else report(['ignorePaths'], 'must be a list of globs');
  }
  if (isRecord(value.podSecurity)) {
    const level = value.podSecurity.defaultLevel;
    if (level !== undefined) {
      if (Object.values(PodSecurityLevel).includes(level as PodSecurityLevel))
        config.settings.podSecurityDefaultLevel = level as PodSecurityLevel;
      else report(['podSecurity', 'defaultLevel'], 'must be privileged, baseline or restricted');
    }
    const version = value.podSecurity.defaultVersion;
    if (version !== undefined) {
      if (typeof version === 'string' && /^(latest|v1\.\d+)$/.test(version))
        config.settings.podSecurityDefaultVersion = version;
      else report(['podSecurity', 'defaultVersion'], 'must be "latest" or "v1.<minor>"');
    }
  }
  if (value.drainSeconds !== undefined) {
    if (typeof value.drainSeconds === 'number' && value.drainSeconds >= 0)
      config.settings.drainSeconds = value.drainSeconds;
    else report(['drainSeconds'], 'must be a number of seconds');
  }
  if (value.dockerfiles !== undefined) {
    if (!Array.isArray(value.dockerfiles))
      report(['dockerfiles'], 'must be a list of {path, image}');
    else
      value.dockerfiles.forEach((entry: unknown, i) => {
        if (!isRecord(entry) || typeof entry.path !== 'string' || typeof entry.image !== 'string') {
          report(['dockerfiles', i], 'each entry needs path and image');
          return;
        }
        // Several entries may name the same Dockerfile (one per image it builds): keep them all.
        const path = entry.path.replace(/\\/g, '/').replace(/^\.\//, '');
        const list = config.dockerfiles.get(path) ?? [];
        if (!list.includes(entry.image)) list.push(entry.image);
        config.dockerfiles.set(path, list);
      });
  }
}

/**
 * The config file's text, or undefined when the default file is absent. Read with `node:fs`, not
 * `node:fs/promises`: loading that module (and the readline and stream modules it brings) cost
 * more of a one-file audit's start than the read itself (ADR 0165).
 */
function readConfigText(absolute: string, path: string, optional: boolean): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && optional) return undefined;
    throw new InvalidInputError([
      { message: `cannot read the audit config ${path}: ${e.message}` },
    ]);
  }
}
