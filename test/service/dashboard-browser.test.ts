// The dashboard in a real browser (issue 11 §2, §5): two `berth serve` processes (a leader and a
// warm standby) run against the sandbox under the generated least-privilege identity; headless
// Chromium (the Debian package, driven by playwright-core) is refused without credentials, logs
// in with basic auth, sees the incident of a crash-looping Deployment injected with the sandbox's
// fault annotation, and clicks Undo on the watchdog's ledger entry on the STANDBY's page (a plain
// form under a CSP without scripts): the standby records the request, the leader carries it out,
// the page shows the result. The inverse is checked in the cluster, the leader's page shows the
// same ledger, and a screenshot goes to the test artifacts folder (test-artifacts/, gitignored).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppsV1Api } from '@kubernetes/client-node';
import { chromium, type Page } from 'playwright-core';
import { hashPassword } from '../../src/service/auth.ts';
import { restartedAtAnnotation } from '../../src/watchdog/adapters/actions.ts';
import { testKubeConfig } from '../support/cluster.ts';
import { deployment } from '../watchdog/support.ts';
import {
  serveNamespaces,
  serviceRbac,
  startServe,
  tokenKubeconfig,
  until,
  watchdogFolder,
  type ServeProcess,
} from './serve-support.ts';

const chromiumPath = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
const artifacts =
  process.env.BERTH_TEST_ARTIFACTS ?? join(import.meta.dirname, '..', '..', 'test-artifacts');

const watchdogYaml = (svc: string, app: string) => `apiVersion: berth.dev/v1alpha1
kind: Watchdog
metadata: { name: dashboard }
spec:
  namespaces: { include: [${app}] }
  actions:
    - { action: rollout-restart, detectors: [pod-restart-loop], transientOnly: false }
  verifyTimeout: 5s
  ledgerNamespace: ${svc}
`;

test(
  'dashboard in headless Chromium against berth serve: login, an injected incident, undo on the standby, screenshot',
  { timeout: 360_000 },
  async (t) => {
    const { svc, app, create } = await serveNamespaces(t, 'dash');
    await create(serviceRbac(svc, app));
    const dir = await watchdogFolder(watchdogYaml(svc, app));
    const kubeconfig = await tokenKubeconfig(svc, 'berth');
    const env = {
      BERTH_DASHBOARD_USER: 'roger',
      BERTH_DASHBOARD_PASSWORD_HASH: hashPassword('correct horse'),
    };
    const procs: ServeProcess[] = [];
    t.after(() => {
      for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    });
    for (const identity of ['dash-a', 'dash-b'])
      procs.push(startServe({ identity, dir, kubeconfig, namespace: svc, env }));
    const urls = new Map<ServeProcess, string>();
    for (const p of procs)
      urls.set(
        p,
        await until(
          `${p.identity} serving`,
          () => {
            if (p.child.exitCode !== null)
              throw new Error(`${p.identity} exited:\n${p.lines.join('\n')}`);
            return p.url();
          },
          60_000,
        ),
      );
    // berth_service_leader from /metrics (which needs the credentials, like every route).
    const gauge = async (p: ServeProcess): Promise<number | undefined> => {
      const r = await fetch(`${urls.get(p)!}/metrics`, {
        headers: {
          authorization: `Basic ${Buffer.from('roger:correct horse').toString('base64')}`,
        },
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      const m = /^berth_service_leader (\d+)$/m.exec((await r?.text()) ?? '');
      return m?.[1] === undefined ? undefined : Number(m[1]);
    };
    const leaderOf = async () => {
      const [a, b] = procs as [ServeProcess, ServeProcess];
      const [ga, gb] = [await gauge(a), await gauge(b)];
      return ga === 1 && gb === 0 ? a : gb === 1 && ga === 0 ? b : undefined;
    };
    const leader = await until('one leader', leaderOf, 40_000, 500);
    const standby = procs.find((p) => p !== leader)!;

    await create([
      { ...deployment('web', { fault: 'crash-loop' }), metadata: { name: 'web', namespace: app } },
    ] as never);

    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      timeout: 30_000,
    });
    t.after(() => browser.close());
    // Without credentials (or with wrong ones) headless Chromium gets the Basic challenge and
    // gives up with ERR_INVALID_AUTH_CREDENTIALS: no page.
    for (const httpCredentials of [undefined, { username: 'roger', password: 'wrong' }]) {
      const refused = await (
        await browser.newContext(httpCredentials ? { httpCredentials } : {})
      )
        .newPage()
        .then((p) => p.goto(urls.get(standby)!))
        .then(
          (r) => `status ${r?.status()}`,
          (error: Error) => error.message,
        );
      assert.match(refused, /ERR_INVALID_AUTH_CREDENTIALS|status 401/, refused);
    }
    assert.equal((await fetch(urls.get(standby)!)).status, 401);

    const context = await browser.newContext({
      httpCredentials: { username: 'roger', password: 'correct horse' },
      viewport: { width: 1400, height: 1000 },
    });
    const errors: string[] = [];
    const open = async (p: ServeProcess): Promise<Page> => {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const r = await page.goto(urls.get(p)!, { timeout: 15_000 });
      assert.equal(r?.status(), 200);
      return page;
    };
    const page = await open(standby);
    const subject = `Deployment ${app}/web`;
    // The leader sees the crash loop, restarts, fails to verify (the fault stays): one entry.
    const started = Date.now();
    await until(
      "the incident and an undoable ledger entry on the standby's page",
      async () => {
        await page.reload({ timeout: 15_000 });
        const incidents = (await page.textContent('#incidents', { timeout: 5000 })) ?? '';
        const button = await page.$('#ledger button[type=submit]');
        return incidents.includes(`CrashLoopBackOff: ${subject}`) && button ? true : undefined;
      },
      // Seconds on a quiet sandbox; 94 s seen while other sessions loaded the shared one.
      180_000,
      1000,
    ).catch((error: Error) => {
      const logs = procs.map((p) => `--- ${p.identity}\n${p.lines.slice(-30).join('\n')}`);
      throw new Error(`${error.message}\n${logs.join('\n')}`);
    });
    t.diagnostic(`incident and undoable entry on the page after ${Date.now() - started} ms`);
    assert.match((await page.textContent('#incidents')) ?? '', /restart/i, 'evidence shown');
    assert.match((await page.textContent('#ledger')) ?? '', /rollout restart deployment\/web/);
    assert.match(
      (await page.textContent('#status')) ?? '',
      new RegExp(`served by ${standby.identity} \\(standby, ready\\) · leader: ${leader.identity}`),
    );
    const entryId = await page.getAttribute('#ledger input[name=entry]', 'value');
    assert.ok(entryId);
    const restarted = async () =>
      (
        await testKubeConfig()
          .makeApiClient(AppsV1Api)
          .readNamespacedDeployment({ namespace: app, name: 'web' })
      ).spec?.template.metadata?.annotations?.[restartedAtAnnotation];
    assert.ok(await restarted(), 'the leader restarted the Deployment');

    const clicked = Date.now();
    await Promise.all([
      page.waitForURL(/\/\?undo=undo-/, { timeout: 30_000 }),
      page.click('#ledger button[type=submit]'),
    ]);
    // The standby answers once the leader has done it (or the page refreshes until then).
    await until(
      'the undo done',
      async () => {
        const text = (await page.textContent('#undo-result')) ?? '';
        if (/: (refused|failed)/.test(text)) throw new Error(text);
        if (/: done/.test(text)) return text;
        await page.waitForTimeout(1000);
        return undefined;
      },
      30_000,
      500,
    );
    t.diagnostic(`undo from the standby's page done after ${Date.now() - clicked} ms`);
    const banner = (await page.textContent('#undo-result')) ?? '';
    assert.match(banner, new RegExp(`of ${entryId} \\(asked by roger\\): done`));
    assert.match(banner, /remove the restart annotation on Deployment/);
    assert.match((await page.textContent('#ledger')) ?? '', /undone from the dashboard by roger/);
    assert.equal(await page.$('#ledger button[type=submit]'), null, 'nothing left to undo');
    assert.equal(await restarted(), undefined, 'the restart annotation is gone in the cluster');
    const onLeader = await open(leader);
    const absolute = (text: string | null) =>
      (text ?? '').replace(/ \((just now|[^)]* ago)\)/g, '');
    assert.equal(
      absolute(await onLeader.textContent('#ledger')),
      absolute(await page.textContent('#ledger')),
      'the leader shows the same ledger',
    );
    assert.deepEqual(errors, [], 'no console errors (CSP violations show here)');

    await mkdir(artifacts, { recursive: true });
    const shot = join(artifacts, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  },
);
