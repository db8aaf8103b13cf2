// rxflow serve in a real browser: starts `rxflow serve` on a free port of
// 127.0.0.1, drives Debian's Chromium (never a downloaded one) with
// puppeteer-core, and stops the server by its PID. Registered in CTest
// (tests/CMakeLists.txt); `npm ci` in this folder installs puppeteer-core
// (scripts/setup does).
//   node serve_browser.mjs RXFLOW_BIN SOURCE_DIR [--screenshot FILE] [--form-screenshot FILE]
// Every wait is for an event (a selector, a navigation, the server's exit)
// with a bound; nothing sleeps.
import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch {
  console.error('serve_browser: puppeteer-core is missing: run `npm ci` in tests/browser ' +
                '(scripts/setup does)');
  process.exit(1);
}

const [rxflow, sourceDir, ...rest] = process.argv.slice(2);
const option = (name) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : '');
const screenshot = option('--screenshot');
const formScreenshot = option('--form-screenshot');
const chromium = process.env.RXFLOW_CHROMIUM || '/usr/bin/chromium';
const work = mkdtempSync(join(tmpdir(), 'rxflow-browser-'));
const results = join(work, 'results');

// The server, and the address it prints as its first line.
function startServer() {
  const server = spawn(rxflow, ['serve', 'workflows/case_study.toml', '--port', '0',
                                '--results', results],
                       {cwd: sourceDir, stdio: ['ignore', 'pipe', 'inherit']});
  const address = new Promise((resolve, reject) => {
    createInterface({input: server.stdout}).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`rxflow serve exited (${code})`)));
  });
  const exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
  return {server, address, exited};
}

const {server, address, exited} = startServer();
let browser;
const problems = [];  // console errors (a CSP violation among them)
try {
  const url = await address;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: false,  // --headless is in the flags below, as CI passes it
    userDataDir: join(work, 'profile'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  await page.setViewport({width: 1100, height: 900});
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));

  // The form: fill it and send it; the script follows the run to its result.
  await page.goto(url);
  assert.equal(await page.title(), 'New request · rxflow serve');
  const drugs = await page.$$eval('#drug-list option', (options) => options.map((o) => o.value));
  assert.ok(drugs.includes('DrugC'), `the drug list: ${drugs}`);
  async function fill(values) {
    for (const [name, value] of Object.entries(values)) {
      const field = `[name="${name}"]`;
      if (await page.$eval(field, (element) => element.tagName === 'SELECT')) {
        await page.select(field, value);
      } else {
        await page.$eval(field, (input) => { input.value = ''; });
        await page.type(field, value);
      }
    }
  }
  // The workflow's tunable parameters, with their ranges, beside the patient.
  assert.deepEqual(await page.$$eval('#tunables [name]', (fields) => fields.map((f) => f.name)),
                   ['cohort.n', 'train.epochs', 'train.repeats', 'calibrate.ensemble']);
  assert.equal(await page.$eval('[name="train.epochs"]', (input) => input.max), '1000');
  await fill({patient_id: 'browser-patient', age: '61', weight_kg: '77', gender: 'male',
              genetic_marker: '0.4', comorbidity: '0.2', drug: 'DrugC', 'train.epochs': '12',
              'calibrate.ensemble': 'false'});
  if (formScreenshot) await page.screenshot({path: formScreenshot, fullPage: true});
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  await page.waitForSelector('#p-calibrated', {timeout: 60_000});
  const runId = page.url().match(/\/runs\/(\d{8}-\d{6}-[0-9a-f]{6})$/)?.[1];
  assert.ok(runId, `the result's address: ${page.url()}`);
  const shown = await page.$eval('#p-calibrated', (e) => e.textContent);
  const raw = await page.$eval('#p-raw', (e) => e.textContent);
  // The numbers are the run file's, as `rxflow log` reads them.
  const log = JSON.parse(execFileSync(rxflow, ['log', results, '--json'], {encoding: 'utf8'}));
  const row = log.find((entry) => entry.run_id === runId);
  assert.ok(row, `rxflow log lists ${runId}`);
  assert.equal(shown, row.metrics.calibrated_p0.toFixed(3));
  assert.equal(raw, row.metrics.p0.toFixed(3));
  assert.equal(await page.$eval('#root-hash', (e) => e.textContent), row.root_hash);
  // The tunable values the run had, as its page shows them.
  const request = Object.fromEntries(await page.$$eval('table.request tr', (rows) =>
    rows.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])));
  assert.equal(request['train.epochs'], '12');
  assert.equal(request['calibrate.ensemble'], 'false');
  await page.waitForFunction(() => {
    const image = document.querySelector('#generated-image');
    return image && image.complete && image.naturalWidth > 0;
  }, {timeout: 10_000});
  assert.equal(await page.$eval('#generated-image', (image) => image.naturalWidth), 64);
  assert.ok(await page.$eval('#curve', (image) => image.complete && image.naturalWidth > 0));
  if (screenshot) await page.screenshot({path: screenshot});

  // A download: the run file, byte for byte as large as the one on disk.
  const download = await page.$eval('a[href$="/files/run.h5"]', async (link) => {
    const response = await fetch(link.href);
    return {status: response.status, disposition: response.headers.get('content-disposition'),
            bytes: (await response.arrayBuffer()).byteLength};
  });
  assert.equal(download.status, 200);
  assert.match(download.disposition, new RegExp(`${runId}\\.h5`));
  assert.equal(download.bytes, statSync(row.file).size);

  assert.deepEqual(problems, [], 'no console errors (a CSP violation would be one)');

  // A bad value, sent past the browser's own range check (its attribute
  // removed): HTTP 400, the value kept in the form, and the server's message.
  async function refusedMessage(name, attribute, value) {
    await page.goto(url);
    await page.$eval(`[name="${name}"]`, (input, removed) => input.removeAttribute(removed),
                     attribute);
    await fill({[name]: value});
    const [refused] = await Promise.all([page.waitForNavigation(),
                                         page.click('button[type="submit"]')]);
    assert.equal(refused.status(), 400);
    assert.equal(await page.$eval(`[name="${name}"]`, (input) => input.value), value);
    return page.$eval('#form-error', (e) => e.textContent);
  }
  assert.equal(await refusedMessage('age', 'max', '150'),
               'form: stage "requests": row 1 column "age" must be a number in [18.0, 90.0], ' +
               'got 150');
  // A tunable parameter out of its range: the message the CLI gives for --set.
  assert.equal(await refusedMessage('train.epochs', 'min', '0'),
               'train.epochs=0: stage "train": parameter "epochs" must be an integer in ' +
               '[1, 1000], got 0');
  // The browser reports the 400s as failed loads; nothing else.
  assert.deepEqual(problems.splice(0).filter((text) => !text.includes('status of 400')), []);

  // History: the run, its permalink, and "run again" with its inputs.
  await page.goto(url + 'history');
  assert.ok(await page.$(`#history a[href="/runs/${runId}"]`), 'the run is in the history');
  await Promise.all([page.waitForNavigation(),
                     page.click(`#history a[href="/?from=${runId}"]`)]);
  assert.equal(await page.$eval('[name="patient_id"]', (input) => input.value),
               'browser-patient');
  assert.equal(await page.$eval('[name="age"]', (input) => input.value), '61');
  assert.equal(await page.$eval('[name="gender"]', (select) => select.value), 'male');
  assert.equal(await page.$eval('[name="train.epochs"]', (input) => input.value), '12');
  assert.equal(await page.$eval('[name="calibrate.ensemble"]', (select) => select.value),
               'false');

  // Without JavaScript: the pending page reloads itself until the result is there.
  const plain = await browser.newPage();
  await plain.setJavaScriptEnabled(false);
  await plain.goto(url);
  await Promise.all([plain.waitForNavigation(), plain.click('button[type="submit"]')]);
  await plain.waitForSelector('#p-calibrated', {timeout: 60_000});
  const plainId = plain.url().match(/\/runs\/(\d{8}-\d{6}-[0-9a-f]{6})$/)?.[1];
  assert.ok(plainId, `the result's address: ${plain.url()}`);

  // Compare the two runs from the history: the parameters that differ.
  await page.bringToFront();  // a tab in the background gets no frames to click in
  await page.goto(url + 'history');
  await page.click(`input[name="a"][value="${runId}"]`);
  await page.click(`input[name="b"][value="${plainId}"]`);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/compare"] button')]);
  const differ = Object.fromEntries(await page.$$eval('#parameters tbody tr', (rows) =>
    rows.map((tr) => [tr.querySelector('th').textContent,
                      [...tr.querySelectorAll('td')].map((td) => td.textContent)])));
  assert.deepEqual(differ['train.epochs'], ['12', '10']);
  assert.deepEqual(differ['calibrate.ensemble'], ['false', 'true']);

  assert.deepEqual(problems, [], 'no console errors (a CSP violation would be one)');
  console.log(`serve_browser: OK (run ${runId}, calibrated ${shown}, raw ${raw})`);
} catch (error) {
  console.error(`serve_browser: ${error.message}`);
  if (browser) {
    for (const open of await browser.pages()) {
      const text = await open.evaluate(() => document.body ? document.body.innerText : '');
      console.error(`serve_browser: page ${open.url()}:\n${text.slice(0, 2000)}`);
    }
  }
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  const code = await exited;
  rmSync(work, {recursive: true, force: true});
  if (code !== 0 && process.exitCode === undefined) {
    console.error(`serve_browser: rxflow serve exited with ${code}`);
    process.exitCode = 1;
  }
}
