// End-to-end tests of the web UI: `dossier demo` ingests the bundled sample corpus and
// serves it on a free port; Debian's Chromium, driven headless by playwright-core, walks
// the pages an analyst uses. Screenshots go to test-output/e2e/ for a human to look at.
//
// Run: cd tests/e2e && npm ci && node --test   (scripts/test does this after cargo test)
// Needs target/debug/dossier (or DOSSIER_BIN) and /usr/bin/chromium (or CHROMIUM).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.DOSSIER_BIN || path.join(ROOT, 'target', 'debug', 'dossier');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output', 'e2e');
// Generous: the demo ingests the corpus first, on a loaded 2-core machine.
const START_TIMEOUT_MS = 90_000;

let server, writable, base, context, page, scratch;
// Script errors and CSP violations (Chromium reports both on the console) fail the run.
const problems = [];

// Starts `dossier ARGS…` and resolves with the URL it prints once it serves.
function startServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`no URL from dossier ${args[0]} within ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    const watch = (chunk) => {
      log += chunk;
      const m = log.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) { clearTimeout(timer); resolve({ child, url: m[0] }); }
    };
    child.stdout.setEncoding('utf8').on('data', watch);
    child.stderr.setEncoding('utf8').on('data', watch);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`dossier ${args[0]} exited with ${code}:\n${log}`)); });
  });
}

// Runs `action` (which changes the hash or submits a form) and waits until the UI has
// drawn the page it leads to: render() bumps #main's data-rendered counter when done.
async function navigate(action) {
  const before = await page.evaluate(() => Number(document.getElementById('main').dataset.rendered || 0));
  await action();
  await page.waitForFunction((n) => {
    const main = document.getElementById('main');
    return Number(main.dataset.rendered || 0) > n && main.getAttribute('aria-busy') === 'false';
  }, before);
  const error = await page.locator('#main .error').count();
  assert.equal(error, 0, `the page shows an error: ${error ? await page.locator('#main .error').first().textContent() : ''}`);
}

const goto = (hash) => navigate(() => page.evaluate((h) => { location.hash = h; }, hash));
const shot = (name) => page.screenshot({ path: path.join(OUT, name + '.png'), fullPage: true });

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: build it with cargo build --bin dossier`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  mkdirSync(OUT, { recursive: true });
  scratch = mkdtempSync(path.join(tmpdir(), 'dossier-e2e-'));
  server = await startServer(['demo', '--addr', '127.0.0.1:0', '--demo-db', path.join(scratch, 'demo.db')]);
  server.child.removeAllListeners('exit');
  base = server.url;
  // A fresh profile each run. Without the background-networking flags Chromium keeps
  // trying to reach its services and hangs on a closed network.
  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(20_000);
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
  await page.goto(base);
  await page.waitForSelector('#main[aria-busy="false"]');
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (server) server.child.kill('SIGTERM');
  if (writable) writable.child.kill('SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the actor page shows aliases, relations with stance and events', async () => {
  await goto('#/actor/ttp');
  assert.match(await page.locator('h1').first().textContent(), /Tehrik-i-Taliban Pakistan/);
  const headings = await page.locator('#main h2').allTextContents();
  for (const h of ['Aliases', 'Relations', 'Figures', 'Events', 'Documents']) {
    assert.ok(headings.some((x) => x.startsWith(h)), `no ${h} section in ${headings}`);
  }
  assert.ok(await page.locator('ul.relations li .badge[class*="stance-"]').count() > 0, 'no relation with a stance');
  await shot('actor-ttp');
  // Its link into the network keeps it and its neighbours lit there.
  await navigate(() => page.locator('#main h2 a', { hasText: 'show in the network' }).click());
  assert.match(await page.evaluate(() => location.hash), /^#\/graph\?focus=ttp/);
  assert.match(await page.locator('svg.graph').getAttribute('class'), /\bhl\b/);
  assert.match(await page.locator('svg.graph g.node[data-id="ttp"]').getAttribute('class'), /\bon\b/);
});

test('the network graph zooms, pans, drags, filters and follows a node', async () => {
  await goto('#/graph');
  const nodes = page.locator('svg.graph g.node');
  assert.ok(await nodes.count() >= 5, 'too few nodes');
  await shot('graph');

  const graph = page.locator('svg.graph');
  const vb0 = await graph.getAttribute('viewBox');
  await page.locator('.zoombar button', { hasText: '+' }).click();
  const vb1 = await graph.getAttribute('viewBox');
  assert.notEqual(vb1, vb0, 'zoom in left the view as it was');
  const box = await graph.boundingBox();
  await page.mouse.move(box.x + 8, box.y + 8);
  await page.mouse.wheel(0, 300);
  assert.notEqual(await graph.getAttribute('viewBox'), vb1, 'the wheel did not zoom');
  await page.locator('.zoombar button', { hasText: 'fit' }).click();
  assert.equal(await graph.getAttribute('viewBox'), vb0);

  // Hovering a node dims all but it and its neighbours.
  const node = nodes.first();
  await node.locator('circle').hover();
  assert.match(await graph.getAttribute('class'), /\bhl\b/);
  assert.ok(await page.locator('svg.graph g.node.on').count() >= 2, 'no neighbour lit');
  await shot('graph-hover');

  // Dragging a node moves it and does not navigate.
  const t0 = await node.getAttribute('transform');
  const nb = await node.locator('circle').boundingBox();
  await page.mouse.move(nb.x + nb.width / 2, nb.y + nb.height / 2);
  await page.mouse.down();
  await page.mouse.move(nb.x + nb.width / 2 + 40, nb.y + nb.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await node.getAttribute('transform'), t0, 'the node did not move');
  assert.match(await page.evaluate(() => location.hash), /^#\/graph/, 'a drag navigated');

  // A stance filter keeps only edges of that stance (the least common one, so the
  // filter has something to remove).
  const all = await page.locator('svg.graph line.edge').evaluateAll((ls) => ls.map((l) => l.getAttribute('class').match(/stance-(\w+)/)[1]));
  const tally = new Map();
  for (const st of all) tally.set(st, (tally.get(st) || 0) + 1);
  const rare = [...tally].sort((a, b) => a[1] - b[1])[0][0];
  await navigate(async () => {
    await page.selectOption('form.filters select[name="stance"]', rare);
    await page.locator('form.filters button[type="submit"]').click();
  });
  assert.match(await page.evaluate(() => location.hash), new RegExp('stance=' + rare));
  const stances = await page.locator('svg.graph line.edge').evaluateAll((ls) => ls.map((l) => l.getAttribute('class')));
  assert.equal(stances.length, tally.get(rare));
  assert.ok(stances.every((c) => c.includes('stance-' + rare)), stances.join(' '));
  await shot('graph-filtered');

  // A date range no document falls in leaves nothing, and says so.
  await navigate(async () => {
    await page.selectOption('form.filters select[name="stance"]', '');
    await page.fill('form.filters input[name="from"]', '2099-01-01');
    await page.locator('form.filters button[type="submit"]').click();
  });
  assert.equal(await page.locator('svg.graph').count(), 0);
  assert.match(await page.locator('#main').textContent(), /No relation matches these filters/);

  // Clicking a node opens that actor's page.
  await goto('#/graph');
  const target = nodes.nth(1);
  const id = await target.getAttribute('data-id');
  const name = await target.locator('text').textContent();
  await navigate(() => target.locator('circle').click());
  assert.equal(await page.evaluate(() => location.hash), '#/actor/' + encodeURIComponent(id));
  assert.match(await page.locator('h1').first().textContent(), new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('a document shows highlighted spans; hover tells the rule, click opens the claim', async () => {
  await goto('#/documents');
  await navigate(() => page.locator('#main table a[href^="#/doc/"]').first().click());
  const spans = page.locator('article.doctext span.ann');
  assert.ok(await spans.count() >= 5, 'too few highlighted spans');
  await spans.filter({ hasText: /\w/ }).first().hover();
  const panel = page.locator('aside.inspector');
  await panel.locator('.rule code').first().waitFor();
  assert.match(await panel.textContent(), /rule /);
  await shot('document');

  const mention = page.locator('article.doctext span.ann-mention').first();
  await navigate(() => mention.click());
  assert.match(await page.evaluate(() => location.hash), /^#\/actor\//);
  await page.goBack();
  await page.waitForSelector('article.doctext span.ann');

  // A claim span (figure, relation or event) opens the claim with its context marked.
  const claim = page.locator('article.doctext span.ann-figure, article.doctext span.ann-relation, article.doctext span.ann-event').first();
  await navigate(() => claim.click());
  assert.match(await page.evaluate(() => location.hash), /^#\/claim\//);
  assert.ok(await page.locator('blockquote.context mark').count() === 1);
  assert.ok(await page.locator('table.fields th', { hasText: 'rule' }).count() >= 1);
  await shot('claim');
});

test('a search shows hits with marked snippets', async () => {
  await goto('#/');
  await navigate(async () => {
    await page.fill('form.filters input[name="q"]', 'Taliban');
    await page.locator('form.filters button[type="submit"]').click();
  });
  assert.ok(await page.locator('ol.hits li').count() > 0, 'no hits');
  assert.ok(await page.locator('ol.hits .snippet mark').count() > 0, 'no marked snippet');
  await shot('search');
});

test('the map draws both countries, places and events, and events are links', async () => {
  await goto('#/map');
  assert.equal(await page.locator('svg.map path.country.focus').count(), 2);
  assert.ok(await page.locator('svg.map g.place').count() > 20, 'too few places');
  const events = page.locator('svg.map g.event');
  assert.ok(await events.count() >= 1, 'no event on the map');
  await shot('map');
  // A province opens its dossier (by keyboard: event circles may lie on top of it).
  const province = page.locator('svg.map g.place-province.mentioned').first();
  const provinceName = await province.locator('text').textContent();
  await province.focus();
  await navigate(() => page.keyboard.press('Enter'));
  assert.match(await page.evaluate(() => location.hash), /^#\/actor\//);
  assert.equal((await page.locator('h1').first().textContent()).startsWith(provinceName), true);
  await goto('#/map');
  // The last group is painted on top: nearby places' circles can overlap earlier ones.
  const place = await events.last().getAttribute('data-place');
  await navigate(() => events.last().locator('circle').click());
  assert.equal(await page.evaluate(() => location.hash), '#/events?place=' + encodeURIComponent(place));
  assert.ok(await page.locator('ol.timeline li').count() >= 1);
  await shot('events');
});

test('the disputes board lists disputes with their figures', async () => {
  await goto('#/disputes');
  assert.ok(await page.locator('section.card').count() >= 1, 'no dispute');
  assert.ok(await page.locator('section.card table td.num').count() >= 2, 'no competing figures');
  await shot('disputes');
});

test('an uploaded article with markup renders inert', async () => {
  const token = 'e2e-token-' + process.pid;
  writable = await startServer(['serve', '--addr', '127.0.0.1:0', '--db', path.join(scratch, 'upload.db'), '--token', token]);
  writable.child.removeAllListeners('exit');
  await page.goto(writable.url + '#/documents');
  await page.waitForSelector('#main[aria-busy="false"]');
  const hostile = 'Markup <script>alert(1)</script> Title\n\n'
    + 'A comment about the Tehrik-i-Taliban Pakistan quoted <img src=x onerror=alert(2)> and '
    + '<a href="javascript:alert(3)">a link</a> in Peshawar.\n';
  await page.setInputFiles('form.filters input[type="file"]', { name: 'hostile.txt', mimeType: 'text/plain', buffer: Buffer.from(hostile) });
  await page.fill('form.filters input[type="password"]', token);
  await page.locator('form.filters button', { hasText: 'Ingest' }).click();
  await page.waitForFunction(() => /new/.test(document.querySelector('form.filters span.muted').textContent));
  assert.match(await page.locator('form.filters span.muted').textContent(), /^1 new/);
  await goto('#/documents?r=1');
  await navigate(() => page.locator('#main table a[href^="#/doc/"]').first().click());
  const text = await page.locator('article.doctext').textContent();
  assert.ok(text.includes('<img src=x onerror=alert(2)>'), 'the markup is shown as text');
  assert.equal(await page.locator('#main script, #main img, #main iframe, #main [onerror]').count(), 0);
  assert.equal(await page.locator('#main a[href^="javascript:"]').count(), 0);
  await shot('hostile-document');
});

test('no script error or CSP violation on any page', () => {
  assert.deepEqual(problems, []);
});
