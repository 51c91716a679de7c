// The HTML report of a real lab scan, opened in a real browser (Debian's chromium through
// playwright-core): it reads well at desktop and phone widths (screenshots are kept under
// test-artifacts/ for a person to look at), its table sorts and searches, it fetches nothing,
// and text from the network (a banner, a certificate CN, an MX name) cannot become markup.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../fixtures/cli-runner.js';
import { type Lab, startLab } from '../../fixtures/lab.js';
import { SCENARIOS, type Scenario } from '../../fixtures/scenarios.js';
import type { DomainResult, PolicyRecommendation } from '../../src/types.js';
import { findChromium, launchChromium } from '../helpers/browser.js';

const found = findChromium();
if ('missing' in found) console.log(`skipping the report browser tests: ${found.missing}`);

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const WIDTHS = [1280, 390] as const;
const DAY_MS = 86_400_000;

const SCRIPT_BANNER = '<script>alert(1)</script>';
const IMG_CN = '"><img src=x onerror=alert(2)>';
const HOSTILE_MX = '<b onmouseover=alert(3)>mx</b>.hostile.test';

/** Three customer domains on valid.test's MX host: a "provider" shared by several domains. */
const HOSTED: Scenario[] = ['shop', 'club', 'bakery'].map((name) => ({
  domain: `${name}.test`,
  what: 'hosted on mx.valid.test',
  zone: { [`${name}.test`]: { MX: [{ preference: 10, exchange: 'mx.valid.test' }] } },
  servers: [],
  expect: { kind: 'line', level: 'verify' },
}));

/** A server whose greeting carries a script tag: a real scan records it as it came. */
const HOSTILE: Scenario = {
  domain: 'hostile.test',
  what: 'banner with markup',
  zone: { 'hostile.test': { MX: [{ preference: 10, exchange: 'mx.hostile.test' }] }, 'mx.hostile.test': { A: ['127.0.0.58'] } },
  servers: [{ host: '127.0.0.58', behaviour: 'normal', banner: SCRIPT_BANNER, cert: { kind: 'lab', names: ['mx.hostile.test'] } }],
  expect: { kind: 'line', level: 'verify' },
};

type Saved = DomainResult & { policy: PolicyRecommendation };

let lab: Lab | undefined;
let dir: string;
let browser: Browser | undefined;
let today: Saved[];
let reportRun: { code: number | null; stderr: string };
const consoleErrors: string[] = [];

const reportPath = () => join(dir, 'report.html');
const hostilePath = () => join(dir, 'hostile.html');
const toLines = (results: readonly Saved[]) => results.map((r) => `${JSON.stringify(r)}\n`).join('');

/** Yesterday as it would have been: twomx.test had a verify line, shop.test was not listed yet,
 *  retired.test was, and valid.test showed another certificate. */
function yesterdayOf(results: readonly Saved[]): Saved[] {
  const copy = structuredClone(results) as Saved[];
  const twomx = copy.find((r) => r.domain === 'twomx.test')!;
  twomx.policy = { ...twomx.policy, level: 'verify', summary: { code: 'verified', verified: 2, addresses: 2 }, reasons: [] };
  const valid = copy.find((r) => r.domain === 'valid.test')!;
  valid.hosts[0]!.addresses[0]!.probe.tls!.chain[0]!.sha256Fingerprint = 'ab'.repeat(32);
  const retired = { ...structuredClone(valid), domain: 'retired.test', policy: { ...valid.policy, domain: 'retired.test' } };
  return [...copy.filter((r) => r.domain !== 'shop.test'), retired];
}

/** hostile.test's real result with a hostile certificate CN (expiring in 3 days) and MX name. */
function hostileResult(results: readonly Saved[]): Saved {
  const r = structuredClone(results.find((x) => x.domain === 'hostile.test')!);
  const leaf = r.hosts[0]!.addresses[0]!.probe.tls!.chain[0]!;
  leaf.subjectCN = [IMG_CN];
  leaf.subject = `CN=${IMG_CN}`;
  leaf.notAfter = new Date(Date.now() + 3 * DAY_MS).toISOString();
  r.hosts[0]!.name = HOSTILE_MX;
  r.hosts[0]!.addresses[0]!.probe.hostname = HOSTILE_MX;
  return r;
}

async function open(path: string, width: number): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(pathToFileURL(path).href);
  return page;
}

describe.skipIf('missing' in found)('the HTML report in a real browser', () => {
  beforeAll(async () => {
    if ('missing' in found) return;
    dir = mkdtempSync(join(tmpdir(), 'mxtls-report-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    lab = await startLab({ scenarios: [...SCENARIOS, ...HOSTED, HOSTILE] });
    const domains = lab.scenarios.map((s) => s.domain);
    const scan = await cli(['scan', '--resolver', lab.resolver, '--port', String(lab.smtpPort), '--ca-file', lab.caFile, '--https-port', String(lab.httpsPort), '--timeout', '4', '--ehlo', 'test.mxtls.test', '--format', 'ndjson', '--detail', 'full', ...domains]);
    today = scan.stdout.trim().split('\n').map((l) => JSON.parse(l) as Saved);
    expect(today).toHaveLength(domains.length);
    writeFileSync(join(dir, 'today.ndjson'), toLines(today));
    writeFileSync(join(dir, 'yesterday.ndjson'), toLines(yesterdayOf(today)));
    writeFileSync(join(dir, 'hostile.ndjson'), toLines([hostileResult(today)]));
    const [report, hostile] = await Promise.all([
      cli(['report', join(dir, 'today.ndjson'), '--diff', join(dir, 'yesterday.ndjson'), '-o', reportPath(), '--postfix', '3.7.11']),
      cli(['report', join(dir, 'hostile.ndjson'), '-o', hostilePath(), '--postfix', '3.7.11']),
    ]);
    reportRun = report;
    // Kept with the screenshots, for a person to open.
    writeFileSync(join(ARTIFACTS, 'report.html'), readFileSync(reportPath()));
    expect(hostile).toMatchObject({ code: 0, stderr: '' });
    browser = await launchChromium(found.path);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 for the regression the diff found, and says nothing else', () => {
    expect(reportRun.stderr).toBe('');
    // twomx.test: verify yesterday, may today; and some lab domains are unknown by design.
    expect(reportRun.code).toBe(1);
  });

  it.each(WIDTHS)('reads at %i px: every section, every domain, no sideways scrolling', async (width) => {
    const page = await open(reportPath(), width);
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings).toEqual([
      'Levels at a glance',
      'Changes since the previous run',
      'Certificates expired or expiring within 14 days',
      'Domains grouped by provider',
      'Every domain',
    ]);
    expect(await page.locator('#domains tbody tr').count()).toBe(today.length);
    expect(await page.locator('svg.chart').count()).toBe(2);
    // Regressions first: the first change row is twomx.test's level going down.
    await expect(page.locator('#changes tbody tr').first().innerText()).resolves.toMatch(/regression[\s\S]*twomx\.test[\s\S]*level down: verify → may/);
    await expect(page.locator('#expiring').innerText()).resolves.toMatch(/expired\.test[\s\S]*expired/);
    await expect(page.locator('#providers tbody tr').first().innerText()).resolves.toMatch(/mx\.valid\.test[\s\S]*4[\s\S]*bakery\.test, club\.test, shop\.test, valid\.test/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#all details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
    await page.close();
    expect(consoleErrors).toEqual([]);
  });

  it('sorts by a column and searches every domain', async () => {
    const page = await open(reportPath(), 1280);
    const ranks = () => page.locator('#domains tbody tr td:nth-child(2)').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-sort'))));
    await page.getByRole('button', { name: 'level' }).click();
    const up = await ranks();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.getByRole('button', { name: 'level' }).click();
    const down = await ranks();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(down.at(-1)!);

    await page.locator('#filter').fill('dane-only');
    const visible = page.locator('#domains tbody tr:visible');
    const expected = today.filter((r) => r.policy.level === 'dane-only').length;
    expect(await visible.count()).toBeGreaterThan(0);
    expect(await visible.count()).toBeGreaterThanOrEqual(expected);
    await expect(page.locator('#shown').innerText()).resolves.toBe(String(await visible.count()));
    for (const text of await visible.allInnerTexts()) expect(text.toLowerCase()).toContain('dane-only');
    await page.close();
    expect(consoleErrors).toEqual([]);
  });

  it('makes no network request: the page is the only thing loaded', async () => {
    // Served over HTTP so that every request, whatever its scheme, passes the interception.
    const files = new Map([['/report.html', readFileSync(reportPath())], ['/control.html', Buffer.from('<img src="/pixel.png"><link rel="stylesheet" href="https://cdn.example/x.css">')]]);
    const server: Server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const visit = async (path: string, act: (page: Page) => Promise<void> = async () => undefined): Promise<string[]> => {
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const others = new Set<string>();
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url === `${base}${path}`) return route.continue();
        others.add(url);
        return route.abort();
      });
      page.on('request', (r) => {
        if (r.url() !== `${base}${path}`) others.add(r.url());
      });
      await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
      await act(page);
      await page.waitForTimeout(200);
      await page.close();
      return [...others];
    };
    try {
      // The harness sees requests: a page that loads an image and a stylesheet is caught.
      expect((await visit('/control.html')).sort()).toEqual([`${base}/pixel.png`, 'https://cdn.example/x.css']);
      const others = await visit('/report.html', async (page) => {
        await page.getByRole('button', { name: 'domain' }).click();
        await page.locator('#filter').fill('valid');
        await page.locator('#all details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
      });
      expect(others).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('shows a hostile banner, certificate CN and MX name as text: no markup, no script', async () => {
    const page = await open(hostilePath(), 1280);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await page.locator('#filter').fill(SCRIPT_BANNER);
    await page.locator('#filter').fill('');
    await page.getByRole('button', { name: 'MX' }).click();
    for (const el of await page.locator('b, img, [onerror], [onmouseover]').all()) await el.hover().catch(() => undefined);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[onerror], [onmouseover]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    const text = await page.locator('body').innerText();
    expect(text).toContain(SCRIPT_BANNER);
    expect(text).toContain(IMG_CN);
    expect(text).toContain(HOSTILE_MX);
    // The CN shows where it matters most: the certificate expiring in 3 days.
    await expect(page.locator('#expiring').innerText()).resolves.toContain(IMG_CN);
    await page.screenshot({ path: join(ARTIFACTS, 'report-hostile-1280.png'), fullPage: true });
    await page.close();
  });
});
