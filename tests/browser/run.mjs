// Webbläsartester för hallbar: tillgänglighet (axe-core) och flöden i headless Chromium.
//
//   node tests/browser/run.mjs <bas-url> <skärmbildsmapp>
//
// Startas av `cargo test --test browser` (tests/browser/main.rs) mot en riktig server med
// demoinnehållet. Chromium är Debians /usr/bin/chromium (eller $HALLBAR_CHROMIUM).
// Avslutas med kod 0 bara om alla kontroller gick igenom; varje fel skrivs ut i en
// sammanfattning på slutet.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import axe from 'axe-core';
import { chromium } from 'playwright-core';

const STARTED = Date.now();
/** Hela körningen får inte hänga: efter så här lång tid avbryts den som misslyckad. */
const WATCHDOG_MS = 240_000;
/** Tidsgräns för en enskild åtgärd (klick, ifyllnad, väntan på ett element). */
const ACTION_MS = 8_000;
/** Tidsgräns för en sidladdning. */
const NAV_MS = 15_000;

const CHROMIUM = process.env.HALLBAR_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const VIEWPORTS = [
  ['telefon', { width: 390, height: 844 }],
  ['dator', { width: 1280, height: 900 }],
];

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
};
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Sidtyperna som tillgänglighetskontrolleras. En sida med `from` hittas genom att följa
 * den första länken `link` på sidan `from` (så att skriptet inte känner till demoinnehållets id).
 */
const PAGES = [
  { name: 'start', path: '/' },
  { name: 'sok', path: '/sok?q=trygghet' },
  { name: 'sok-inga-traffar', path: '/sok?q=xqzvbnm' },
  { name: 'sok-felaktig-parameter', path: '/sok?sida=abc', status: 400 },
  { name: 'finns-inte', path: '/finns-inte', status: 404 },
  { name: 'stadsutveckling', path: '/stadsutveckling' },
  { name: 'matrisruta', from: 'stadsutveckling', link: 'table.matris td a' },
  { name: 'artikel', from: 'matrisruta', link: 'ul.artiklar a' },
  { name: 'pivi', path: '/pivi' },
  { name: 'pivi-post', from: 'pivi', link: 'ol.traffar li.traff h3 a' },
  { name: 'medinflytande', path: '/medinflytande' },
  { name: 'fas', from: 'medinflytande', link: 'ol.faser a' },
  { name: 'checklista', from: 'fas', link: 'ul.checklistor a' },
  { name: 'medlemmar', path: '/medlemmar' },
  { name: 'profil', from: 'medlemmar', link: 'ol.traffar li.traff h3 a' },
  { name: 'om', path: '/om' },
  { name: 'tillganglighet', path: '/tillganglighet' },
  { name: 'kontakt', path: '/kontakt' },
  { name: 'kallkod', path: '/kallkod' },
  { name: 'vem-kan', path: '/vem-kan?q=trygghetsvandringar' },
  { name: 'registrera', path: '/registrera' },
  { name: 'logga-in', path: '/logga-in' },
  { name: 'glomt-losenord', path: '/glomt-losenord' },
  { name: 'villkor', path: '/villkor' },
  { name: 'integritetspolicy', path: '/integritetspolicy' },
  { name: 'kompetens', from: 'profil', link: 'a[href^="/kompetens/"]' },
];

// ---------------------------------------------------------------------------------------
// Bokföring av resultat

const failures = [];
let passed = 0;

function log(message) {
  console.log(message);
}

function pass(area, message) {
  passed += 1;
  log(`  ok    [${area}] ${message}`);
}

function fail(area, message) {
  failures.push({ area, message });
  log(`  FEL   [${area}] ${message}`);
}

/** Mjuk kontroll: ett fel bokförs men flödet fortsätter. */
function check(area, ok, okMessage, failMessage) {
  if (ok) pass(area, okMessage);
  else fail(area, failMessage ?? okMessage);
  return ok;
}

/** Ett fel som avbryter resten av ett flöde (nästa steg bygger på det här). */
class FlowStop extends Error {}

function elapsed() {
  return `${((Date.now() - STARTED) / 1000).toFixed(1)} s`;
}

function summary() {
  log('');
  log('== Sammanfattning av webbläsartesterna');
  if (failures.length === 0) {
    log(`Alla ${passed} kontroller gick igenom (${elapsed()}).`);
  } else {
    log(`${failures.length} fel (och ${passed} godkända kontroller) på ${elapsed()}:`);
    failures.forEach(({ area, message }, i) => {
      const text = message.replace(/\n/g, '\n       ');
      log(`  ${String(i + 1).padStart(3)}. [${area}] ${text}`);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Argument, webbläsare

const [baseArg, shotArg, mailArg] = process.argv.slice(2);
if (!baseArg || !shotArg) {
  console.error('användning: node run.mjs <bas-url> <skärmbildsmapp>');
  process.exit(2);
}
const BASE = baseArg.replace(/\/+$/, '');
const SHOTS = path.resolve(shotArg);
const ORIGIN = new URL(BASE).origin;
/** Katalogen där servern skriver sina mejl som .eml-filer (ingen SMTP-server i testet). */
const MAIL_DIR = mailArg ? path.resolve(mailArg) : null;

if (!existsSync(CHROMIUM)) {
  console.error(
    `fel: Chromium finns inte på ${CHROMIUM}. Installera Debians paket: ` +
      '`apt-get install chromium` (eller kör .ci/run), eller peka ut en annan med HALLBAR_CHROMIUM.',
  );
  process.exit(2);
}

const tempDirs = [];
const openContexts = [];

async function cleanup() {
  for (const context of openContexts.splice(0)) {
    await context.close().catch(() => {});
  }
  for (const dir of tempDirs.splice(0)) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

const watchdog = setTimeout(async () => {
  fail('tidsgräns', `körningen tog längre än ${WATCHDOG_MS / 1000} s och avbröts`);
  summary();
  await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 5_000))]);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/** En egen Chromium med en ny, tom profilmapp. */
async function launch(label, options) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hallbar-chromium-'));
  tempDirs.push(dir);
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'sv-SE',
    viewport: VIEWPORTS[1][1],
    ...options,
  });
  openContexts.push(context);
  context.setDefaultTimeout(ACTION_MS);
  context.setDefaultNavigationTimeout(NAV_MS);
  // Persistent context öppnar en tom flik av sig själv; den behövs inte.
  for (const page of context.pages()) await page.close().catch(() => {});
  log(`(startade Chromium för ${label}, ${elapsed()})`);
  return context;
}

/**
 * Bokför oväntade fel som sidan själv orsakar: JavaScript-undantag, fel i konsolen och
 * resurser från den egna servern som inte gick att hämta. `where()` säger vilken kontroll
 * som pågår.
 */
function watchPage(page, where) {
  page.on('pageerror', (error) => fail(where(), `JavaScript-fel på sidan: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Laddningsfel rapporteras via 'response' nedan (och huvuddokumentets 404/400 är väntade).
    if (text.startsWith('Failed to load resource')) return;
    fail(where(), `fel i webbläsarkonsolen: ${text}`);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest()) return;
    const url = response.url();
    if (!url.startsWith(ORIGIN) || url.endsWith('/favicon.ico')) return;
    if (response.status() >= 400) {
      fail(where(), `resursen ${url.slice(ORIGIN.length)} svarade ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const url = request.url();
    if (!url.startsWith(ORIGIN) || request.isNavigationRequest()) return;
    // A script's fetch still in flight when the page is left (suggestions while typing,
    // then Enter) is cancelled by the browser: not the site's failure. Errors the site
    // answers are caught above by their status.
    const script = ['fetch', 'xhr', 'eventsource'].includes(request.resourceType());
    if (script && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    fail(where(), `resursen ${url.slice(ORIGIN.length)} kunde inte hämtas: ${request.failure()?.errorText}`);
  });
}

function relative(url) {
  return url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) || '/' : url;
}

async function screenshot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
    return file;
  } catch (error) {
    fail(name, `skärmbilden kunde inte tas: ${error.message}`);
    return null;
  }
}

/**
 * Gör `action` (ett klick, Enter, ...) och väntar på att en ny sida laddas. Ger svaret
 * på huvuddokumentet (efter eventuella omdirigeringar).
 */
async function navigateBy(page, action, what) {
  const responded = page
    .waitForResponse(
      (r) =>
        r.request().isNavigationRequest() &&
        r.frame() === page.mainFrame() &&
        !(r.status() >= 300 && r.status() < 400),
      { timeout: NAV_MS },
    )
    .then(
      (r) => r,
      () => null,
    );
  try {
    await action();
  } catch (error) {
    throw new FlowStop(`${what}: ${firstLine(error.message)}`);
  }
  const response = await responded;
  if (!response) throw new FlowStop(`${what}: ingen ny sida laddades inom ${NAV_MS / 1000} s`);
  const target = response.url();
  await page
    .waitForURL((u) => u.href.split('#')[0] === target.split('#')[0], { waitUntil: 'load' })
    .catch(() => {});
  return response;
}

function firstLine(text) {
  return String(text).split('\n')[0];
}

/** Hämtar en sida och stoppar flödet om den inte svarar med väntad status. */
async function open(page, area, url, expected = 200) {
  let response;
  try {
    response = await page.goto(new URL(url, BASE).href, { waitUntil: 'load' });
  } catch (error) {
    throw new FlowStop(`${url} kunde inte laddas: ${firstLine(error.message)}`);
  }
  const status = response?.status();
  if (status !== expected) {
    throw new FlowStop(`${relative(page.url())} svarade ${status} (väntat ${expected})${missingHint(status)}`);
  }
  pass(area, `${relative(page.url())} svarade ${status}`);
  return response;
}

function missingHint(status) {
  return status === 404 ? ' – sidan finns inte (ännu)' : '';
}

async function count(page, selector) {
  return page.locator(selector).count();
}

/** Väntar kort på att ett element finns (sidorna är serverrenderade, så det brukar redan finnas). */
async function present(page, selector, timeout = 1_500) {
  try {
    await page.locator(selector).first().waitFor({ state: 'attached', timeout });
    return true;
  } catch {
    return false;
  }
}

/** Kryssar i en kryssruta; om den är dold bakom egen formgivning klickas dess etikett. */
async function tick(page, checkbox) {
  try {
    await checkbox.check({ timeout: 3_000 });
  } catch {
    const label = await labelFor(page, checkbox);
    if (!label) throw new Error('kryssrutan går inte att klicka och har ingen label');
    await label.click();
  }
}

/** Etiketten till en kryssruta: `label[for=id]` eller den omslutande `label` (null om ingen). */
async function labelFor(page, checkbox) {
  const id = await checkbox.getAttribute('id');
  if (id) {
    const byFor = page.locator(`label[for=${cssString(id)}]`).first();
    if (await byFor.count()) return byFor;
  }
  const around = checkbox.locator('xpath=ancestor::label[1]').first();
  return (await around.count()) ? around : null;
}

// ---------------------------------------------------------------------------------------
// Förberedelse: sökindexet byggs i bakgrunden när servern startar med demoinnehållet.

async function waitForIndex() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${BASE}/api/v1/sok?q=utveckling`);
      if (response.status === 404) return; // inget JSON-API: vänta inte
      if (response.ok) {
        const body = await response.json();
        if ((body.total ?? 0) > 0) {
          log(`(sökindexet är klart: ${body.total} träffar på "utveckling", ${elapsed()})`);
          return;
        }
      }
    } catch {
      // servern svarar inte än; försök igen
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log('(sökindexet gav inga träffar inom 30 s; fortsätter ändå)');
}

// ---------------------------------------------------------------------------------------
// A. Tillgänglighet och grundläggande sidkontroller

// Error pages (status ≥ 400) have no canonical address: nothing there should be indexed.
async function checkBasics(page, area, isError) {
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    lang: document.documentElement.getAttribute('lang'),
    title: document.title.trim(),
    description: document.querySelector('meta[name="description"]')?.getAttribute('content')?.trim() ?? null,
    canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() ?? null,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  // WCAG 1.4.10 (reflow): the page itself never scrolls sideways; wide content such as
  // the matrix table scrolls inside its own region.
  check(
    area,
    facts.scrollWidth <= facts.clientWidth + 1,
    'ingen vågrät rullning av sidan',
    `sidan är ${facts.scrollWidth} px bred i ett ${facts.clientWidth} px brett fönster`,
  );
  check(area, facts.h1 === 1, 'exakt en h1', `sidan har ${facts.h1} h1 (väntat exakt en)`);
  check(area, facts.lang === 'sv', 'html[lang=sv]', `html har lang=${JSON.stringify(facts.lang)} (väntat "sv")`);
  check(area, facts.title.length > 0, `<title>: ${facts.title}`, 'sidan saknar <title> (eller den är tom)');
  check(
    area,
    !!facts.description,
    'meta[name=description]',
    facts.description === null ? 'sidan saknar meta[name=description]' : 'meta[name=description] är tom',
  );
  if (isError) {
    check(area, facts.canonical === null, 'felsidan har ingen link[rel=canonical]', 'felsidan har link[rel=canonical]');
    return;
  }
  check(
    area,
    !!facts.canonical,
    `link[rel=canonical]: ${facts.canonical}`,
    facts.canonical === null ? 'sidan saknar link[rel=canonical]' : 'link[rel=canonical] saknar href',
  );
}

async function runAxe(page, area) {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async (options) => {
    const result = await window.axe.run(document, options);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ')),
    }));
  }, AXE_OPTIONS);
  const blocking = violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
  const minor = violations.length - blocking.length;
  if (blocking.length === 0) {
    pass(area, `axe: inga allvarliga brister${minor ? ` (${minor} mindre)` : ''}`);
    return;
  }
  for (const v of blocking) {
    const shown = v.nodes.slice(0, 3).map((t) => `\n    vid ${t}`).join('');
    const more = v.nodes.length > 3 ? `\n    … och ${v.nodes.length - 3} element till` : '';
    fail(area, `axe ${v.id} (${v.impact}): ${v.help}${shown}${more}\n    ${v.helpUrl}`);
  }
}

async function accessibility(context) {
  log('');
  log('== Tillgänglighet (axe-core, WCAG 2.1 A/AA) och grundkontroller');
  const page = await context.newPage();
  let current = 'tillgänglighet';
  watchPage(page, () => current);

  const discovered = new Map(); // sidnamn -> url
  const notFound = new Map(); // sidnamn -> varför den inte kunde hittas

  for (const spec of PAGES) {
    const expected = spec.status ?? 200;
    let url = spec.path;
    if (!url) {
      url = discovered.get(spec.name);
      if (!url) {
        fail(spec.name, `sidan kunde inte hittas: ${notFound.get(spec.name) ?? 'okänt varför'}`);
        for (const child of PAGES.filter((p) => p.from === spec.name)) {
          notFound.set(child.name, `sidan den länkas från (${spec.name}) kunde inte hittas`);
        }
        continue;
      }
    }
    const children = PAGES.filter((p) => p.from === spec.name);
    let reachable = false;
    for (const [viewportName, size] of VIEWPORTS) {
      const area = `${spec.name} (${viewportName})`;
      current = area;
      await page.setViewportSize(size);
      let response;
      try {
        response = await page.goto(new URL(url, BASE).href, { waitUntil: 'load' });
      } catch (error) {
        fail(spec.name, `${relative(url)} kunde inte laddas: ${firstLine(error.message)}`);
        break;
      }
      const status = response?.status();
      if (status !== expected) {
        fail(spec.name, `${relative(url)} svarade ${status} (väntat ${expected})${missingHint(status)}`);
        break;
      }
      if (!reachable) {
        reachable = true;
        log(`-- ${spec.name}: ${relative(page.url())} (${status})`);
        pass(spec.name, `status ${status}`);
        current = spec.name;
        await checkBasics(page, spec.name, (spec.status ?? 200) >= 400);
        for (const child of children) {
          const link = page.locator(child.link).first();
          const href = (await link.count()) ? await link.getAttribute('href') : null;
          if (href) {
            discovered.set(child.name, new URL(href, page.url()).href);
            pass(spec.name, `länk till ${child.name} (${child.link}): ${relative(new URL(href, page.url()).href)}`);
          } else {
            notFound.set(child.name, `ingen länk "${child.link}" på ${relative(page.url())}`);
          }
        }
        current = area;
      }
      try {
        await runAxe(page, area);
      } catch (error) {
        fail(area, `axe kunde inte köras: ${firstLine(error.message)}`);
      }
      const file = await screenshot(page, `${spec.name}-${viewportName}`);
      if (file) log(`  bild  ${file}`);
    }
    if (!reachable) {
      for (const child of children) {
        notFound.set(child.name, `sidan den länkas från (${spec.name}) kunde inte kontrolleras`);
      }
    }
  }
  await page.close();
}

// ---------------------------------------------------------------------------------------
// B. Flöden

/** Kör ett flöde; ett stoppande fel bokförs och en skärmbild tas av läget. */
async function flow(context, area, body) {
  log('');
  log(`== Flöde: ${area}`);
  const page = await context.newPage();
  watchPage(page, () => area);
  try {
    await body(page);
  } catch (error) {
    const message = error instanceof FlowStop ? error.message : `oväntat fel: ${error.stack ?? error}`;
    fail(area, `${message}\n    (sidan då: ${relative(page.url())})`);
    const slug = area
      .toLowerCase()
      .replace(/[åä]/g, 'a')
      .replace(/ö/g, 'o')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const file = await screenshot(page, `fel-${slug}`);
    if (file) log(`  bild  ${file}`);
  } finally {
    await page.close().catch(() => {});
  }
}

/** Väljer en ikryssad-bar kryssruta i facettgruppen `name`: helst en med träffar. */
async function pickFacet(page, name) {
  return page.evaluate((name) => {
    const form = document.querySelector('#sokformular');
    if (!form) return null;
    const boxes = [...form.querySelectorAll(`input[type="checkbox"][name="${name}"]`)].filter((b) => !b.checked);
    const countOf = (box) => {
      const label = box.labels?.[0] ?? box.closest('label');
      const text = label?.textContent ?? '';
      const match = [...text.matchAll(/\(\s*(\d[\d\s\u00a0]*)\s*\)/g)].pop();
      return match ? Number.parseInt(match[1].replace(/\D/g, ''), 10) : null;
    };
    const box = boxes.find((b) => (countOf(b) ?? 0) > 0) ?? boxes[0];
    if (!box) return null;
    const label = box.labels?.[0] ?? box.closest('label');
    return { value: box.value, label: (label?.textContent ?? '').replace(/\s+/g, ' ').trim() };
  }, name);
}

function cssString(value) {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

async function searchFlow(context, label) {
  const area = `sökning (${label})`;
  await flow(context, area, async (page) => {
    await open(page, area, '/sok');
    if (!(await present(page, '#sokformular #q'))) throw new FlowStop('/sok saknar sökfältet #q i formuläret #sokformular');
    await page.fill('#q', 'utveckling');
    const searched = await navigateBy(page, () => page.press('#q', 'Enter'), 'sökningen (Enter i #q)');
    check(area, searched.status() === 200, `sökningen svarade 200: ${relative(page.url())}`, `sökningen svarade ${searched.status()}`);
    const q = new URL(page.url()).searchParams.get('q');
    check(area, q === 'utveckling', 'q=utveckling i adressen', `adressen efter sökningen har q=${JSON.stringify(q)}: ${relative(page.url())}`);

    await present(page, 'ol.traffar li.traff');
    const hits = await count(page, 'ol.traffar li.traff');
    if (hits === 0) throw new FlowStop('sökningen på "utveckling" gav inga träffar (ol.traffar li.traff)');
    pass(area, `${hits} träffar på sidan`);
    const marks = await page.locator('ol.traffar li.traff mark').allTextContents();
    check(
      area,
      marks.some((m) => m.toLowerCase().includes('utveckling')),
      `sammansättningen markeras: <mark>${marks.find((m) => m.toLowerCase().includes('utveckling'))}</mark>`,
      `ingen träff har ett <mark> som innehåller "utveckling" (sammansättningsdel); mark-texter: ${JSON.stringify(marks.slice(0, 8))}`,
    );
    const total = (await count(page, '#antal-traffar')) ? (await page.locator('#antal-traffar').first().textContent()).replace(/\s+/g, ' ').trim() : null;
    check(area, !!total, `#antal-traffar: ${total}`, 'sidan saknar #antal-traffar (antalet träffar)');

    const typ = await pickFacet(page, 'typ');
    const stadsdel = await pickFacet(page, 'stadsdel');
    if (!typ || !stadsdel) {
      throw new FlowStop(
        `#sokformular saknar en oikryssad kryssruta ${!typ ? 'name=typ' : ''}${!typ && !stadsdel ? ' och ' : ''}${!stadsdel ? 'name=stadsdel' : ''}`,
      );
    }
    log(`  (väljer typ: ${typ.label || typ.value}; stadsdel: ${stadsdel.label || stadsdel.value})`);
    for (const [name, pick] of [['typ', typ], ['stadsdel', stadsdel]]) {
      const box = page.locator(`#sokformular input[type="checkbox"][name="${name}"][value=${cssString(pick.value)}]`).first();
      try {
        await tick(page, box);
      } catch (error) {
        throw new FlowStop(`kryssrutan ${name}=${pick.value} gick inte att kryssa i: ${firstLine(error.message)}`);
      }
      await page.waitForLoadState('load');
    }
    const button = page.locator('#sokformular button[type="submit"]').first();
    if ((await button.count()) === 0) throw new FlowStop('#sokformular saknar en button[type=submit]');
    const filtered = await navigateBy(page, () => button.click(), 'filtreringen (knappen i #sokformular)');
    check(area, filtered.status() === 200, 'filtreringen svarade 200', `filtreringen svarade ${filtered.status()}`);
    const search = new URL(page.url()).search;
    check(
      area,
      search.includes('typ=') && search.includes('stadsdel='),
      `adressen har typ= och stadsdel=: ${relative(page.url())}`,
      `adressen efter filtreringen saknar ${['typ=', 'stadsdel='].filter((p) => !search.includes(p)).join(' och ')}: ${relative(page.url())}`,
    );
    // Borttagbara filter: en länk i ul.valda-filter per valt filter, som tar bort just det
    // filtret och behåller det andra. Andra länkar där (t.ex. "Rensa alla") räknas inte.
    const links = await page
      .locator('ul.valda-filter a')
      .evaluateAll((els) => els.map((a) => ({ href: a.href, text: a.textContent.replace(/\s+/g, ' ').trim() })));
    const has = (href, name, value) => new URL(href).searchParams.getAll(name).includes(value);
    const chips = links.filter(
      (l) =>
        (!has(l.href, 'typ', typ.value) && has(l.href, 'stadsdel', stadsdel.value)) ||
        (has(l.href, 'typ', typ.value) && !has(l.href, 'stadsdel', stadsdel.value)),
    );
    const removesTyp = chips.some((l) => !has(l.href, 'typ', typ.value));
    const removesStadsdel = chips.some((l) => !has(l.href, 'stadsdel', stadsdel.value));
    check(
      area,
      chips.length === 2 && removesTyp && removesStadsdel,
      `två borttagbara filter (ul.valda-filter a): ${chips.map((l) => l.text).join(' | ')}`,
      links.length === 0
        ? 'sidan visar inga borttagbara filter (ul.valda-filter a)'
        : `väntade 2 borttagbara filter i ul.valda-filter, ett som tar bort typ=${typ.value} och ett som tar bort ` +
            `stadsdel=${stadsdel.value}; länkarna där: ${links.map((l) => `"${l.text}" → ${relative(l.href)}`).join(', ')}`,
    );

    const hitLink = page.locator('ol.traffar li.traff h3 a').or(page.locator('ol.traffar li.traff a')).first();
    if ((await hitLink.count()) === 0) {
      throw new FlowStop(`filtreringen typ=${typ.value} och stadsdel=${stadsdel.value} gav ingen träff att följa`);
    }
    const href = await hitLink.getAttribute('href');
    const opened = await navigateBy(page, () => hitLink.click(), `första träffens länk (${href})`);
    check(area, opened.status() === 200, `första träffen ${relative(page.url())} svarade 200`, `första träffen ${relative(page.url())} svarade ${opened.status()}`);
    check(area, (await count(page, 'h1')) > 0, 'träffens sida har en h1', `träffens sida ${relative(page.url())} saknar h1`);
  });
}

async function matrixFlow(context) {
  const area = 'kunskapsmatrisen (JS på)';
  await flow(context, area, async (page) => {
    await open(page, area, '/stadsutveckling');
    const cell = page.locator('table.matris td a').first();
    if ((await cell.count()) === 0) throw new FlowStop('/stadsutveckling har ingen länk i table.matris td');
    const response = await navigateBy(page, () => cell.click(), 'första matrisrutans länk');
    check(area, response.status() === 200, `matrisrutan ${relative(page.url())} svarade 200`, `matrisrutan ${relative(page.url())} svarade ${response.status()}`);
    check(area, (await count(page, 'h1')) > 0, 'matrisrutan har en h1', 'matrisrutans sida saknar h1');
    const pathname = new URL(page.url()).pathname;
    check(
      area,
      /^\/stadsutveckling\/[^/]+\/[^/]+$/.test(pathname),
      `adressen har formen /stadsutveckling/<rad>/<kolumn>: ${pathname}`,
      `matrisrutans adress ${pathname} har inte formen /stadsutveckling/<rad>/<kolumn>`,
    );
  });
}

async function checklistFlow(context) {
  const area = 'checklista i medinflytande (JS på)';
  await flow(context, area, async (page) => {
    await open(page, area, '/medinflytande');
    const phase = page.locator('ol.faser a').first();
    if ((await phase.count()) === 0) throw new FlowStop('/medinflytande har ingen länk i ol.faser');
    let response = await navigateBy(page, () => phase.click(), 'första fasens länk');
    check(area, response.status() === 200, `fasen ${relative(page.url())} svarade 200`, `fasen ${relative(page.url())} svarade ${response.status()}`);
    const list = page.locator('ul.checklistor a').first();
    if ((await list.count()) === 0) throw new FlowStop(`fassidan ${relative(page.url())} har ingen länk i ul.checklistor`);
    response = await navigateBy(page, () => list.click(), 'första checklistans länk');
    check(area, response.status() === 200, `checklistan ${relative(page.url())} svarade 200`, `checklistan ${relative(page.url())} svarade ${response.status()}`);

    const box = page.locator('ul.checklista input[type="checkbox"]').first();
    if ((await box.count()) === 0) throw new FlowStop(`checklistan ${relative(page.url())} har ingen kryssruta i ul.checklista`);
    const label = await labelFor(page, box);
    if (!label) throw new FlowStop('den första kryssrutan i ul.checklista har ingen label');
    if (await box.isChecked()) throw new FlowStop('den första kryssrutan i ul.checklista är redan ikryssad i en ny webbläsarprofil');
    try {
      await label.click();
    } catch (error) {
      throw new FlowStop(`etiketten till den första kryssrutan gick inte att klicka: ${firstLine(error.message)}`);
    }
    const ticked = await waitChecked(box, true);
    if (!check(area, ticked, 'klick på etiketten kryssar i rutan', 'klick på etiketten kryssade inte i den första rutan i ul.checklista')) return;

    // Ett nytt besök på samma adress (inte page.reload): då kan webbläsarens egen
    // återställning av formulärfält inte dölja att sidans skript glömt kryssen.
    await page.goto(page.url(), { waitUntil: 'load' });
    const remembered = await waitChecked(page.locator('ul.checklista input[type="checkbox"]').first(), true);
    check(
      area,
      remembered,
      'ikryssningen finns kvar efter omladdning (localStorage)',
      'ikryssningen i checklistan glömdes bort när sidan laddades om: sidans skript ska spara kryssen i localStorage och återställa dem',
    );
  });
}

async function waitChecked(box, wanted, timeout = 2_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if ((await box.isChecked().catch(() => !wanted)) === wanted) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------

// Medlemmar: registrera sig via det märkta formuläret, öppna verifieringsmejlet ur
// mejlkatalogen, logga in, fylla i profilen med kompetenser och hitta en kollega.

/** Den senaste länken till `start` i ett mejl till `to` (väntar tills mejlet finns). */
async function mailedLink(to, start) {
  const deadline = Date.now() + 10_000;
  const pattern = new RegExp(`${start.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[0-9a-f]{64}`);
  while (Date.now() < deadline) {
    if (MAIL_DIR) {
      const files = (await readdir(MAIL_DIR).catch(() => [])).filter((f) => f.endsWith('.eml')).sort();
      for (const file of files.reverse()) {
        const text = await readFile(path.join(MAIL_DIR, file), 'utf8');
        const header = text.split(/\r?\n\r?\n/)[0];
        if (!header.toLowerCase().includes(`to: ${to.toLowerCase()}`)) continue;
        const found = text.match(pattern);
        if (found) return found[0];
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new FlowStop(`inget mejl till ${to} med en länk till ${start} i ${MAIL_DIR}`);
}

async function memberFlow(context, label, withAxe) {
  const area = `medlem ${label}`;
  const email = `testare-${label.replace(/\W+/g, '')}-${Date.now()}@exempel.se`;
  const password = 'en lång mening om Hammarkullen';
  const name = label === 'JS på' ? 'Testa Medlemsson' : 'Utan Skriptsson';
  await flow(context, area, async (page) => {
    const audit = async (what) => {
      if (!withAxe) return;
      await runAxe(page, `${what} (${area})`);
      const file = await screenshot(page, `${what}-dator`);
      if (file) log(`  bild  ${file}`);
    };
    await open(page, area, '/registrera');
    await page.getByLabel('Namn').fill(name);
    await page.getByLabel('E-post').fill(email);
    await page.getByLabel('Lösenord').fill(password);
    await page.getByLabel('Jag godkänner villkoren och har läst integritetspolicyn').check();
    await navigateBy(page, () => page.getByRole('button', { name: 'Skapa konto' }).click(), 'Skapa konto');
    check(area, (await page.locator('h1').innerText()).includes('Bekräfta'), 'kontot skapat, mejl på väg', `efter Skapa konto: ${await page.locator('h1').innerText()}`);

    const link = await mailedLink(email, `${BASE}/verifiera/`);
    pass(area, `verifieringslänken lästes ur mejlet: ${relative(link)}`);
    await open(page, area, link);
    await navigateBy(page, () => page.getByRole('button', { name: 'Bekräfta e-postadressen' }).click(), 'Bekräfta');
    check(area, page.url().includes('/logga-in'), 'adressen bekräftad, till inloggningen', `efter bekräftelsen: ${relative(page.url())}`);

    await page.getByLabel('E-post').fill(email);
    await page.getByLabel('Lösenord').fill(password);
    await navigateBy(page, () => page.getByRole('button', { name: 'Logga in' }).click(), 'Logga in');
    const loggedIn = await page.getByRole('button', { name: 'Logga ut' }).count();
    check(area, loggedIn === 1, 'inloggad: Logga ut i sidhuvudet', 'ingen Logga ut-knapp efter inloggningen');

    await open(page, area, '/profil/redigera');
    await audit('profil-redigera');
    await page.getByLabel('Titel').fill('Områdesutvecklare');
    await page.getByLabel('Organisation').fill('Göteborgs Stad');
    await page.getByLabel('Sektor').selectOption('kommun');
    await page.getByLabel('Stadsdel').selectOption('angered');
    await page.getByLabel('Bakgrund').fill('Har lett **trygghetsvandringar** i Hammarkullen.');
    const competences = page.getByLabel('Kompetenser');
    if (label === 'JS på') {
      await competences.click();
      await competences.pressSequentially('medborg', { delay: 30 });
      const offered = await page
        .waitForFunction(() => document.querySelectorAll('#kompetenser-forslag option').length > 0, null, { timeout: 5_000 })
        .then(() => true, () => false);
      const first = offered ? await page.locator('#kompetenser-forslag option').first().getAttribute('value') : '';
      check(area, offered && /medborgardialog/i.test(first), `förslag medan man skriver: ${first}`, 'inga kompetensförslag från vokabulären');
    }
    await competences.fill('Medborgardialog, trygghetsvandringar,  medborgardialog , platssamverkan');
    await page.getByLabel('Alla, även besökare som inte är inloggade').check();
    await navigateBy(page, () => page.getByRole('button', { name: 'Spara profilen' }).click(), 'Spara profilen');
    const saved = await page.locator('main').innerText();
    check(area, saved.includes('Profilen är sparad') && /Medborgardialog, trygghetsvandringar, platssamverkan/.test(saved),
      'profilen sparad, kompetenserna normaliserade', `efter Spara: ${firstLine(saved)}`);
    await audit('profil');

    await open(page, area, '/medlemmar/matcha');
    await audit('matcha');
    const matches = await page.locator('main ol li').count();
    check(area, matches > 0, `Hitta kollegor: ${matches} förslag`, 'inga kollegor på /medlemmar/matcha');
    const mainText = await page.locator('main').innerText();
    check(area, /medborgardialog|trygghetsvandringar|platssamverkan/i.test(mainText), 'gemensamma kompetenser visas', 'inga gemensamma kompetenser syns');
    await page.getByLabel('Bara andra sektorer').check();
    await navigateBy(page, () => page.getByRole('button', { name: 'Visa' }).click(), 'Visa');
    check(area, page.url().includes('andra_sektorer'), 'filtret Bara andra sektorer används', `filtret syns inte i adressen: ${relative(page.url())}`);

    for (const [what, url] of [['losenord', '/profil/losenord'], ['radera', '/profil/radera']]) {
      await open(page, area, url);
      await audit(`profil-${what}`);
    }
    await navigateBy(page, () => page.getByRole('button', { name: 'Logga ut' }).click(), 'Logga ut');
    const after = await page.goto(`${BASE}/profil`);
    check(area, after?.status() === 401, 'utloggad: /profil kräver inloggning igen', `efter Logga ut svarade /profil ${after?.status()}`);
  });
}

// Grupper: två medlemmar; den ena startar en stängd grupp, den andra ansöker och godkänns,
// de diskuterar, och den förstas sida visar svaret och notisräknaren live. Tråden hittas
// i sökningen av en medlem men inte av en besökare.

async function registerAndLogIn(page, area, name, email, password) {
  await open(page, area, '/registrera');
  await page.getByLabel('Namn').fill(name);
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByLabel('Jag godkänner villkoren och har läst integritetspolicyn').check();
  await navigateBy(page, () => page.getByRole('button', { name: 'Skapa konto' }).click(), 'Skapa konto');
  const link = await mailedLink(email, `${BASE}/verifiera/`);
  await open(page, area, link);
  await navigateBy(page, () => page.getByRole('button', { name: 'Bekräfta e-postadressen' }).click(), 'Bekräfta');
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await navigateBy(page, () => page.getByRole('button', { name: 'Logga in' }).click(), 'Logga in');
  if ((await page.getByRole('button', { name: 'Logga ut' }).count()) !== 1) {
    throw new FlowStop(`${name} kunde inte logga in`);
  }
}

async function groupFlow(ownerContext, memberContext) {
  const area = 'grupper';
  const password = 'en lång mening om Hammarkullen';
  const stamp = Date.now();
  const suffix = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  const owner = { name: 'Greta Gruppsson', email: `greta-${stamp}@exempel.se` };
  const member = { name: 'Mats Medlemsson', email: `mats-${stamp}@exempel.se` };
  log('');
  log(`== Flöde: ${area}`);
  const a = await ownerContext.newPage();
  const b = await memberContext.newPage();
  watchPage(a, () => `${area} (ägare)`);
  watchPage(b, () => `${area} (medlem)`);
  try {
    const audit = async (what) => {
      await runAxe(a, `${what} (${area})`);
      const file = await screenshot(a, `${what}-dator`);
      if (file) log(`  bild  ${file}`);
    };
    await registerAndLogIn(a, area, owner.name, owner.email, password);
    await registerAndLogIn(b, area, member.name, member.email, password);
    pass(area, 'två medlemmar inloggade');

    await open(a, area, '/grupper/ny');
    await audit('grupp-ny');
    await a.getByLabel('Namn').fill(`Trygga parker ${suffix}`);
    await a.getByLabel('Beskrivning').fill('För oss som arbetar med trygghet i parkerna.');
    await a.getByLabel('Stängd').check();
    await navigateBy(a, () => a.getByRole('button', { name: 'Skapa grupp' }).click(), 'Skapa grupp');
    const groupUrl = a.url().split('?')[0];
    check(area, /\/grupper\/[a-z0-9-]+$/.test(new URL(groupUrl).pathname), `gruppen skapad: ${relative(groupUrl)}`, `efter Skapa grupp: ${relative(a.url())}`);
    await audit('grupp');

    await open(b, area, groupUrl);
    await b.getByLabel('Meddelande').fill('Jag arbetar med parkerna i Angered.');
    await navigateBy(b, () => b.getByRole('button', { name: 'Ansök om medlemskap' }).click(), 'Ansök');
    pass(area, 'ansökan skickad');

    await open(a, area, groupUrl);
    await navigateBy(a, () => a.getByRole('button', { name: /^Godkänn/ }).first().click(), 'Godkänn');
    pass(area, 'ansökan godkänd');

    await navigateBy(a, () => a.getByRole('link', { name: 'Starta en ny tråd' }).click(), 'Starta en ny tråd');
    await audit('ny-trad');
    await a.getByLabel('Rubrik').fill(`Belysning i parken ${suffix}`);
    await a.getByLabel('Inlägg').fill('Hur har ni gjort med **belysningen**?');
    await navigateBy(a, () => a.getByRole('button', { name: 'Publicera' }).click(), 'Publicera');
    const threadUrl = a.url().split('#')[0];
    await audit('trad');

    await open(b, area, threadUrl);
    const reply = b.getByLabel('Ditt svar');
    await reply.fill(`Vi satte upp ljus längs gångvägen ${suffix}. Tack `);
    await reply.pressSequentially('@greta', { delay: 40 });
    const offered = await b
      .waitForSelector('ul.omnamnanden li', { timeout: 5_000 })
      .then(() => true, () => false);
    if (offered) await b.locator('ul.omnamnanden li').first().dispatchEvent('mousedown');
    const written = await reply.inputValue();
    check(area, offered && /@greta-gruppsson /.test(written), 'en medlem föreslås när man skriver @ och infogas', `inget förslag att nämna: ${written}`);
    await navigateBy(b, () => b.getByRole('button', { name: 'Svara' }).click(), 'Svara');
    const arrived = await a
      .waitForFunction((text) => document.querySelector('[data-live-trad]')?.textContent.includes(text), `gångvägen ${suffix}`, { timeout: 10_000 })
      .then(() => true, () => false);
    check(area, arrived, 'svaret syns live på ägarens trådsida', 'svaret kom inte fram live');
    const counted = await a
      .waitForFunction(() => Number(document.querySelector('a[href="/notiser"] .olasta')?.textContent || 0) >= 1, null, { timeout: 10_000 })
      .then(() => true, () => false);
    check(area, counted, 'notisräknaren steg live', 'notisräknaren steg inte');

    // The owner's own post can be edited; the member's reply can be reported.
    await open(a, area, threadUrl);
    await navigateBy(a, () => a.getByRole('link', { name: 'Redigera' }).first().click(), 'Redigera');
    await audit('redigera-inlagg');
    await open(a, area, threadUrl);
    await navigateBy(a, () => a.getByRole('link', { name: /^Anmäl/ }).first().click(), 'Anmäl');
    await audit('anmal');
    await a.getByLabel('Anledning').fill('Ett test av anmälan.');
    await navigateBy(a, () => a.getByRole('button', { name: 'Anmäl' }).click(), 'Anmäl');
    check(area, (await a.locator('main').innerText()).includes('Tack'), 'anmälan skickad', 'ingen bekräftelse på anmälan');
    await open(a, area, `/sok?q=${suffix}`);
    const found = await a.locator(`main a[href^="${new URL(threadUrl).pathname}"]`).count();
    check(area, found > 0, 'tråden hittas i sökningen av en medlem', 'tråden hittades inte av en medlem');
    const outsider = await (await fetch(`${BASE}/sok?q=${suffix}`)).text();
    check(area, !outsider.includes(new URL(threadUrl).pathname), 'en besökare hittar inte tråden', 'en besökare hittade den stängda gruppens tråd');
    await open(a, area, '/notiser');
    await audit('notiser');
    await open(a, area, '/moderering');
    await audit('moderering');

    // The owner becomes a site admin (as `hallbar admin promote` on the server does) and
    // the admin pages are checked too.
    if (process.env.HALLBAR_BIN) {
      execFileSync(process.env.HALLBAR_BIN, ['admin', 'promote', owner.email], { stdio: 'ignore' });
      for (const [what, url] of [
        ['admin', '/admin'],
        ['admin-medlemmar', '/admin/medlemmar'],
        ['admin-logg', '/admin/logg'],
        ['admin-import', '/admin/import'],
      ]) {
        await open(a, area, url);
        await audit(what);
      }
    }
  } catch (error) {
    const message = error instanceof FlowStop ? error.message : `oväntat fel: ${error.stack ?? error}`;
    fail(area, `${message}\n    (sidan då: ${relative(a.url())} / ${relative(b.url())})`);
    const file = await screenshot(a, 'fel-grupper');
    if (file) log(`  bild  ${file}`);
  } finally {
    await a.close().catch(() => {});
    await b.close().catch(() => {});
  }
}

// Stödmodeller: en administratör skapar fasguiden "Ungas inflytande" med tre faser och gör
// en annan medlem till dess redaktör, som lägger till en checklista (förhandsgranskad,
// publicerad). Guiden syns på startsidan och checklistan hittas i sökningen; axe på varje
// administrations- och redigeringssida och på guidens nya sidor.
async function supportModelFlow(adminContext, editorContext) {
  const area = 'stödmodeller';
  const password = 'en lång mening om Hammarkullen';
  const stamp = Date.now();
  const suffix = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  const admin = { name: 'Ada Administratör', email: `ada-${stamp}@exempel.se` };
  const editor = { name: 'Erik Redaktör', email: `erik-${stamp}@exempel.se` };
  log('');
  log(`== Flöde: ${area}`);
  const a = await adminContext.newPage();
  const b = await editorContext.newPage();
  watchPage(a, () => `${area} (administratör)`);
  watchPage(b, () => `${area} (redaktör)`);
  const audit = async (page, what) => {
    await runAxe(page, `${what} (${area})`);
    const file = await screenshot(page, `${what}-dator`);
    if (file) log(`  bild  ${file}`);
  };
  try {
    if (!process.env.HALLBAR_BIN) throw new FlowStop('HALLBAR_BIN saknas: servern kan inte ge administratörsrollen');
    await registerAndLogIn(a, area, admin.name, admin.email, password);
    execFileSync(process.env.HALLBAR_BIN, ['admin', 'promote', admin.email], { stdio: 'ignore' });
    await registerAndLogIn(b, area, editor.name, editor.email, password);
    pass(area, 'administratör och blivande redaktör inloggade');

    await open(a, area, '/admin/stodmodeller/ny');
    await audit(a, 'stodmodell-ny');
    await a.getByLabel('Namn', { exact: true }).fill('Ungas inflytande');
    await a.getByLabel('Adress', { exact: true }).fill('ungas-inflytande');
    await a.getByLabel('Introduktion').fill('Ett stöd för att låta unga påverka det som rör dem, i tre faser.');
    await a.getByRole('radio', { name: 'Fasguide' }).check();
    await a.getByLabel(/^Faser/).fill('Förbereda\nGenomföra\nFölja upp');
    await navigateBy(a, () => a.getByRole('button', { name: 'Skapa stödmodellen' }).click(), 'Skapa stödmodellen');
    const inNav = await a.locator('nav.main a[href="/ungas-inflytande"]').count();
    check(area, inNav === 1, 'den nya fasguiden syns i huvudmenyn', `huvudmenyn saknar /ungas-inflytande (sidan: ${relative(a.url())})`);
    await audit(a, 'stodmodeller');

    await open(a, area, '/admin/medlemmar');
    await audit(a, 'admin-medlemmar-redaktor');
    const row = a.locator('tr', { hasText: editor.email.split('@')[0] }).or(a.locator('tr', { hasText: editor.name }));
    await row.first().getByLabel(/^Stödmodell/).selectOption('ungas-inflytande');
    await navigateBy(a, () => row.first().getByRole('button', { name: /^Gör till redaktör/ }).click(), 'Gör till redaktör');
    pass(area, `${editor.name} är redaktör för Ungas inflytande`);

    await open(b, area, '/admin/innehall');
    await audit(b, 'innehall');
    await navigateBy(b, () => b.getByRole('link', { name: 'Ny text' }).first().click(), 'Ny text');
    await audit(b, 'ny-text');
    await b.getByLabel('Rubrik', { exact: true }).fill(`Checklista för ungas möten ${suffix}`);
    await b.getByLabel('Fas', { exact: true }).selectOption({ label: 'Genomföra' });
    await b.getByLabel('Typ av text').selectOption({ label: 'Checklista' });
    await b.getByLabel('Ingress').fill('Det här behöver vara klart innan mötet.');
    await b.getByLabel('Text', { exact: true }).fill('Unga vet själva vad som **fungerar**.');
    await b.getByLabel('Checklistans punkter').fill('Fråga unga först\nBjud in skolorna\nBoka en lokal nära skolan');
    await b.getByLabel('Författare').fill(editor.name);
    await navigateBy(b, () => b.getByRole('button', { name: 'Förhandsgranska' }).click(), 'Förhandsgranska');
    const previewed = await b.locator('section.forhandsgranskning strong', { hasText: 'fungerar' }).count();
    check(area, previewed === 1, 'förhandsgranskningen visar texten som sidan gör', 'förhandsgranskningen saknar den formaterade texten');
    await audit(b, 'forhandsgranska');
    await navigateBy(b, () => b.getByRole('button', { name: 'Publicera' }).click(), 'Publicera');
    check(area, (await b.locator('main').innerText()).includes('Ändringen är publicerad'), 'checklistan publicerad', `ingen bekräftelse (sidan: ${relative(b.url())})`);
    await navigateBy(b, () => b.getByRole('link', { name: 'Historik' }).click(), 'Historik');
    await audit(b, 'historik');

    await open(b, area, `/sok?q=${suffix}`);
    const hit = b.locator('main a[href^="/ungas-inflytande/"]');
    check(area, (await hit.count()) > 0, 'checklistan hittas i sökningen', 'checklistan hittades inte i sökningen');
    await navigateBy(b, () => hit.first().click(), 'checklistan');
    const items = await b.locator('main li', { hasText: 'Bjud in skolorna' }).count();
    check(area, items > 0, 'checklistans punkter syns på sidan', 'checklistans punkter saknas');
    await audit(b, 'fasguide-text');
    await open(b, area, '/ungas-inflytande');
    await audit(b, 'fasguide');
    await open(b, area, '/ungas-inflytande/genomfora');
    await audit(b, 'fasguide-fas');
    await open(b, area, '/');
    const onStart = await b.locator('main a[href="/ungas-inflytande"]').count();
    check(area, onStart > 0, 'fasguiden listas på startsidan', 'startsidan saknar fasguiden');

    await open(b, area, '/forslag/projekt');
    await audit(b, 'tipsa');
    await open(b, area, '/forslag');
    await audit(b, 'mina-forslag');
    await open(b, area, '/medinflytande');
    const someText = await b.locator('main a[href^="/medinflytande/"][href*="/"]').evaluateAll(
      (links) => links.map((l) => l.getAttribute('href')).find((h) => h.split('/').length === 4));
    if (someText) {
      await open(b, area, someText);
      await navigateBy(b, () => b.getByRole('link', { name: 'Föreslå en ändring' }).click(), 'Föreslå en ändring');
      await audit(b, 'foresla-andring');
    }
    await open(a, area, '/admin/forslag');
    await audit(a, 'admin-forslag');
  } catch (error) {
    const message = error instanceof FlowStop ? error.message : `oväntat fel: ${error.stack ?? error}`;
    fail(area, `${message}\n    (sidan då: ${relative(a.url())} / ${relative(b.url())})`);
    const file = await screenshot(b, 'fel-stodmodeller');
    if (file) log(`  bild  ${file}`);
  } finally {
    await a.close().catch(() => {});
    await b.close().catch(() => {});
  }
}

// Every page in the sitemap at 320 px (the width WCAG 1.4.10 names): the page itself must
// not scroll sideways. No screenshots or axe here, only the width.
async function reflowSweep(context) {
  log('');
  log('== Omflöde: varje sida i sitemap.xml i 320 px bredd');
  const page = await context.newPage();
  let xml = '';
  try {
    xml = await (await fetch(`${BASE}/sitemap.xml`)).text();
  } catch (e) {
    fail('omflöde', `sitemap.xml kunde inte hämtas: ${e}`);
    return;
  }
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  check('omflöde', urls.length > 20, `${urls.length} sidor i webbplatskartan`, `bara ${urls.length} sidor i webbplatskartan`);
  let wide = 0;
  for (const pathname of urls) {
    await page.goto(BASE + pathname, { waitUntil: 'load' });
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    if (scroll > client + 1) {
      wide += 1;
      fail('omflöde', `${pathname} är ${scroll} px bred i ett ${client} px brett fönster`);
    }
  }
  if (wide === 0) {
    log(`  ok    [omflöde] ingen av ${urls.length} sidor rullar i sidled i 320 px`);
  }
  await page.close();
}

async function main() {
  await mkdir(SHOTS, { recursive: true });
  for (const file of await readdir(SHOTS)) {
    if (/-(telefon|dator)\.png$/.test(file) || /^fel-.*\.png$/.test(file)) {
      await rm(path.join(SHOTS, file), { force: true });
    }
  }
  log(`Webbläsartester mot ${BASE} med ${CHROMIUM}; skärmbilder i ${SHOTS}`);
  await waitForIndex();

  // Tillgänglighet: JavaScript på (axe körs i sidan); sidans CSP får inte stoppa axe.
  const a11y = await launch('tillgänglighet', { bypassCSP: true });
  await accessibility(a11y);
  // Medlemsflödet med JavaScript (kompetensförslag) och axe på medlemmarnas sidor.
  await memberFlow(a11y, 'JS på', true);
  // Grupper och diskussioner med två medlemmar (den andra i en egen webbläsare).
  const second = await launch('grupper (andra medlemmen)', {});
  await groupFlow(a11y, second);
  await second.close();
  // Stödmodeller och redigering: administratören och redaktören i var sin webbläsare.
  const third = await launch('stödmodeller (redaktören)', { bypassCSP: true });
  await supportModelFlow(a11y, third);
  await third.close();
  await a11y.close();

  // Flöden med JavaScript på, som en vanlig besökare (ingen CSP-förbikoppling).
  const withJs = await launch('flöden med JavaScript', {});
  await searchFlow(withJs, 'JS på');
  await matrixFlow(withJs);
  await checklistFlow(withJs);
  await withJs.close();

  // Omflöde (WCAG 1.4.10) på varje publik sida i webbplatskartan, i 320 px bredd.
  const narrow = await launch('omflöde', { viewport: { width: 320, height: 740 } });
  await reflowSweep(narrow);
  await narrow.close();

  // Samma sökflöde utan JavaScript: sajten ska fungera helt utan.
  const withoutJs = await launch('flöden utan JavaScript', { javaScriptEnabled: false });
  await searchFlow(withoutJs, 'JS av');
  await memberFlow(withoutJs, 'JS av', false);
  await withoutJs.close();
}

let exitCode = 1;
try {
  await main();
  exitCode = failures.length === 0 ? 0 : 1;
} catch (error) {
  fail('körningen', `avbröts: ${error.stack ?? error}`);
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
summary();
process.exit(exitCode);
