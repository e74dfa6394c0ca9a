/**
 * Starting, stopping and inspecting one sandbox. Start order: etcd, kube-apiserver, bootstrap
 * (nodes, storage, CRDs, the metrics APIService), then kube-controller-manager, kube-scheduler,
 * kwok, the provisioner and metrics-server together, then the cluster-usable check, then the wait
 * for metrics.k8s.io to be Available. The state file is written after every process
 * start, so a failed start can always be cleaned up, and it is: a start that fails stops what
 * it started and names the component and its log file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { kwokConfigOf, writeKwokConfig } from './pod-logs.ts';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, ErrorCode } from '../errors.ts';
import { ensurePrograms } from './binaries.ts';
import { applyManifests, pointNodesAtKwok, waitClusterUsable } from './bootstrap.ts';
import {
  componentSpecs,
  portNames,
  type ComponentLayout,
  type ComponentSpec,
  type SandboxPorts,
} from './components.ts';
import { probe } from './health.ts';
import { waitMetricsApi, writeMetricsApiService } from './metrics-api.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { acquireLock } from './lock.ts';
import { sandboxPaths, type Env, type SandboxPaths } from './paths.ts';
import { ensurePki, identities, pkiFiles, type ClientIdentity, type PkiFiles } from './pki.ts';
import { freePorts } from './ports.ts';
import { isRunning, startProcess, stopProcess } from './processes.ts';
import { readState, removeState, writeState, type SandboxState } from './state.ts';
import {
  Component,
  components,
  type ComponentStatus,
  type SandboxOptions,
  type SandboxStatus,
  type StartOptions,
  type StartResult,
  type StopOptions,
} from './types.ts';
import { sandboxSourceDir, sandboxVersions } from './versions.ts';

interface Resolved {
  paths: SandboxPaths;
  env: Env;
  log: (line: string) => void;
  kubernetesVersion: string;
}

function resolve(options: SandboxOptions): Resolved {
  const env = options.env ?? process.env;
  const kubernetesVersion = sandboxVersions().kubernetes;
  const paths = sandboxPaths({ name: options.name ?? 'default', kubernetesVersion, env });
  return { paths, env, kubernetesVersion, log: options.log ?? (() => undefined) };
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return '(no log written)';
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  return text.slice(-lines).join('\n');
}

function componentFailure(spec: ComponentSpec, why: string): BerthError {
  const log = spec.process.logFile;
  return new BerthError(
    ErrorCode.sandbox,
    `sandbox component ${spec.component} ${why} (log: ${log})\n--- last lines of ${log} ---\n${logTail(log)}`,
  );
}

async function waitHealthy(
  spec: ComponentSpec,
  pki: PkiFiles,
  deadline: number,
  state: SandboxState,
) {
  let last = 'no answer yet';
  for (;;) {
    const record = state.processes[spec.component];
    if (record && !isRunning(record)) throw componentFailure(spec, 'exited during start');
    const result = await probe(spec.health, pki);
    if (result.ok) return;
    last = result.detail;
    if (Date.now() > deadline)
      throw componentFailure(spec, `did not become healthy in time (${spec.health.url}: ${last})`);
    await sleep(150);
  }
}

function kubeconfigPath(paths: SandboxPaths, identity: ClientIdentity): string {
  return join(paths.runDir, 'kubeconfigs', `${identity.file}.kubeconfig`);
}

async function writeKubeconfigs(paths: SandboxPaths, pki: PkiFiles, port: number) {
  const server = `https://127.0.0.1:${port}`;
  const base = { name: paths.name, server, pki };
  await writeKubeconfig(paths.kubeconfig, { ...base, identity: identities.admin });
  for (const identity of Object.values(identities))
    await writeKubeconfig(kubeconfigPath(paths, identity), { ...base, identity });
}

/**
 * How to run the provisioner: the bundled entry point (`npm run build`) when it exists and is
 * newer than its sources (a published package ships no sources), else the TypeScript source
 * through tsx (only the provisioner's modules, not the whole CLI).
 */
function provisionerCommand(): ComponentLayout['provisionerCommand'] {
  const root = join(sandboxSourceDir, '..');
  const source = join(root, 'src', 'sandbox', 'provisioner', 'main.ts');
  const built = join(root, 'dist', 'sandbox-provisioner', 'main.js');
  const sources = [source, join(root, 'src', 'sandbox', 'provisioner', 'run.ts')];
  const fresh = (a: string, b: string) =>
    !existsSync(b) || statSync(a).mtimeMs >= statSync(b).mtimeMs;
  if (existsSync(built) && sources.every((s) => fresh(built, s)))
    return { command: process.execPath, args: [built] };
  return { command: process.execPath, args: ['--import', 'tsx', source], cwd: root };
}

function layoutOf(r: Resolved, pki: PkiFiles, ports: SandboxPorts): ComponentLayout {
  return {
    paths: r.paths,
    pki,
    ports,
    env: r.env,
    kubeconfigs: {
      controllerManager: kubeconfigPath(r.paths, identities.controllerManager),
      scheduler: kubeconfigPath(r.paths, identities.scheduler),
      kwok: kubeconfigPath(r.paths, identities.kwok),
      provisioner: kubeconfigPath(r.paths, identities.provisioner),
      metricsServer: kubeconfigPath(r.paths, identities.metricsServer),
    },
    kwokConfig: kwokConfigOf(r.paths),
    auditPolicy: join(sandboxSourceDir, 'audit-policy.yaml'),
    provisionerCommand: provisionerCommand(),
  };
}

/** Whether every recorded process runs and the API server answers. */
async function isUp(state: SandboxState | undefined, r: Resolved): Promise<boolean> {
  if (!state) return false;
  for (const c of components) {
    const record = state.processes[c];
    if (!record || !isRunning(record)) return false;
  }
  const pki = pkiFiles(r.paths.pkiDir);
  const api = componentSpecs(layoutOf(r, pki, state.ports)).find(
    (s) => s.component === Component.apiserver,
  );
  return api !== undefined && (await probe(api.health, pki)).ok;
}

async function stopRecorded(state: SandboxState, graceMs: number, log: (l: string) => void) {
  const started = components.filter((c) => state.processes[c]).reverse();
  for (const c of started) {
    const record = state.processes[c];
    if (record && (await stopProcess(record, graceMs))) log(`stopped ${c} (pid ${record.pid})`);
  }
}

async function startAll(r: Resolved, options: StartOptions, state: SandboxState, pki: PkiFiles) {
  const begin = Date.now();
  const deadline = begin + (options.timeoutMs ?? 120_000);
  const since = () => `${((Date.now() - begin) / 1000).toFixed(1)} s`;
  const specs = componentSpecs(layoutOf(r, pki, state.ports));
  const byName = (c: Component) => specs.find((s) => s.component === c) as ComponentSpec;
  const launch = async (spec: ComponentSpec) => {
    state.processes[spec.component] = startProcess(spec.process);
    await writeState(r.paths.stateFile, state);
  };
  for (const c of [Component.etcd, Component.apiserver]) {
    await launch(byName(c));
    await waitHealthy(byName(c), pki, deadline, state);
    r.log(`${c} ready (${since()})`);
  }
  const apiService = await writeMetricsApiService(r.paths, state.ports.metricsServer, pki.caCert);
  await applyManifests(r.paths.binDir, r.paths.kubeconfig, [apiService]);
  await pointNodesAtKwok(r.paths.binDir, r.paths.kubeconfig, state.ports.kwok);
  r.log(`nodes, storage classes, CRDs and the metrics APIService applied (${since()})`);
  const rest = [
    Component.controllerManager,
    Component.scheduler,
    Component.kwok,
    Component.provisioner,
    Component.metricsServer,
  ];
  for (const c of rest) await launch(byName(c));
  await Promise.all(
    rest.map(async (c) => {
      await waitHealthy(byName(c), pki, deadline, state);
      r.log(`${c} ready (${since()})`);
    }),
  );
  await waitClusterUsable(r.paths.kubeconfig, deadline);
  r.log(`nodes Ready, a canary pod ran (${since()})`);
  await waitMetricsApi(r.paths.kubeconfig, deadline);
  r.log(`metrics.k8s.io Available (${since()})`);
}

/** Starts the sandbox (building it first if needed); idempotent. */
export async function startSandbox(options: StartOptions = {}): Promise<StartResult> {
  const r = resolve(options);
  await mkdir(r.paths.runDir, { recursive: true, mode: 0o700 });
  await mkdir(r.paths.logDir, { recursive: true });
  const release = await acquireLock(r.paths.lockFile, 30 * 60_000);
  try {
    const previous = readState(r.paths.stateFile);
    if (await isUp(previous, r))
      return { kubeconfig: r.paths.kubeconfig, started: false, elapsedMs: 0 };
    if (previous) {
      r.log('cleaning up a sandbox that is partly running');
      await stopRecorded(previous, 5_000, r.log);
      await removeState(r.paths.stateFile);
    }
    await ensurePrograms({
      binDir: r.paths.binDir,
      build: options.build ?? true,
      env: r.env,
      log: r.log,
    });
    const begin = Date.now();
    const pki = await ensurePki(r.paths.pkiDir);
    const portList = await freePorts(portNames.length);
    const ports = Object.fromEntries(
      portNames.map((n, i) => [n, portList[i]]),
    ) as unknown as SandboxPorts;
    await writeKubeconfigs(r.paths, pki, ports.apiserver);
    await writeKwokConfig(r.paths, join(sandboxSourceDir, 'kwok', 'kwok.yaml'));
    const state: SandboxState = {
      name: r.paths.name,
      kubernetesVersion: r.kubernetesVersion,
      ports,
      processes: {},
      startedAt: new Date().toISOString(),
    };
    try {
      await startAll(r, options, state, pki);
    } catch (error) {
      await stopRecorded(state, 5_000, r.log);
      await removeState(r.paths.stateFile);
      throw error;
    }
    const elapsedMs = Date.now() - begin;
    return { kubeconfig: r.paths.kubeconfig, started: true, elapsedMs };
  } finally {
    await release();
  }
}

/** Stops every process of the sandbox and verifies none is left. */
export async function stopSandbox(options: StopOptions = {}): Promise<void> {
  const r = resolve(options);
  if (!existsSync(r.paths.runDir)) return;
  const release = await acquireLock(r.paths.lockFile, 5 * 60_000);
  try {
    const state = readState(r.paths.stateFile);
    if (state) await stopRecorded(state, options.graceMs ?? 10_000, r.log);
    const left = state
      ? components.filter((c) => state.processes[c] && isRunning(state.processes[c]))
      : [];
    if (left.length > 0)
      throw new BerthError(
        ErrorCode.sandbox,
        `sandbox processes still running: ${left.join(', ')}`,
      );
    await removeState(r.paths.stateFile);
  } finally {
    await release();
  }
  if (options.purge) await rm(r.paths.runDir, { recursive: true, force: true });
}

/** Reports each component: process alive, health endpoint answering. */
export async function sandboxStatus(options: SandboxOptions = {}): Promise<SandboxStatus> {
  const r = resolve(options);
  const state = readState(r.paths.stateFile);
  const pki = pkiFiles(r.paths.pkiDir);
  const specs = state ? componentSpecs(layoutOf(r, pki, state.ports)) : [];
  const statuses: ComponentStatus[] = await Promise.all(
    components.map(async (component): Promise<ComponentStatus> => {
      const log = join(r.paths.logDir, `${component}.log`);
      const record = state?.processes[component];
      const spec = specs.find((s) => s.component === component);
      if (!record || !spec || !isRunning(record)) return { component, state: 'stopped', log };
      const health = await probe(spec.health, pki);
      return {
        component,
        state: health.ok ? 'running' : 'unhealthy',
        pid: record.pid,
        endpoint: spec.endpoint,
        log,
        ...(health.ok ? {} : { detail: health.detail }),
      };
    }),
  );
  return {
    name: r.paths.name,
    running: statuses.every((s) => s.state === 'running'),
    kubeconfig: r.paths.kubeconfig,
    runDir: r.paths.runDir,
    binDir: r.paths.binDir,
    kubernetesVersion: r.kubernetesVersion,
    components: statuses,
  };
}

export function sandboxKubeconfigPath(options: SandboxOptions = {}): string {
  return resolve(options).paths.kubeconfig;
}
