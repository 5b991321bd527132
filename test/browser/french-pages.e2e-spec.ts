import { withFinessKey } from '../../src/common/domain/finess';
import { Page } from 'playwright-core';
import { AUDIT_ACTION_LABELS } from '../../src/common/messages/audit-actions';
import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(240_000);

const NECKER = withFinessKey('75990001');
const NOW = '2026-12-01T10:00:00+01:00';

/** English words that never belong in a French sentence of the pages (function words and the domain's English terms). */
const ENGLISH = ['the', 'and', 'must', 'should', 'granted', 'awaiting', 'waiting', 'vial', 'vials', 'stopped', 'before', 'above', 'need', 'request', 'requests', 'policy', 'recap', 'received', 'missing', 'with', 'from', 'is', 'are', 'has', 'been', 'not', 'of', 'for', 'yet', 'order', 'orders', 'slot', 'slots', 'none', 'true', 'false', 'undefined', 'null', 'NaN'];
const ENGLISH_WORD = new RegExp(`(^|[^\\p{L}'’-])(${ENGLISH.join('|')})(?=$|[^\\p{L}'’-])`, 'iu');
/** A raw code, enum or field name: UPPER_SNAKE codes, snake/kebab enums of the API, camelCase field names, UTC instants. */
const RAW = /\b[A-Z]{2,}(?:_[A-Z]+)+\b|\b(?:pending_review|waitlisted|meeting_review|adverse_event|patient_wish|tma-cni|chronic-dysfunction-cni|kidney-transplant|freed-stock|policyVersion|ageYears|weightKg|pharmacist|prescriber|recap\.replaced)\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The text a reader sees, without what users typed or the demo's own free texts (justifications,
 * rationales, policy notes: marked `data-user-text`), pseudonyms and identifiers in <code>.
 */
// Runs in the page (a string: the test compiles without the DOM library).
const READABLE_TEXT = `(() => {
  const out = [];
  const skip = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (e.matches('code, kbd, script, style, noscript, [data-user-text], svg title, option, textarea, [aria-hidden="true"]')) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent || '').replace(/\\s+/g, ' ').trim();
    if (text && !skip(n.parentElement)) out.push(text);
  }
  document.querySelectorAll('main [aria-label], main input[placeholder], main [title]').forEach((el) => {
    if (!skip(el)) out.push(el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('title') || '');
  });
  return out;
})()`;

async function readableText(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(READABLE_TEXT);
}

async function walk(page: Page, role: string): Promise<{ url: string; english: string[]; raw: string[] }[]> {
  const links = await page.locator('nav[aria-label="Navigation principale"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const problems: { url: string; english: string[]; raw: string[] }[] = [];
  for (const href of links) {
    const response = await page.goto(href);
    expect([href, response?.status()]).toEqual([href, 200]);
    const texts = await readableText(page);
    const english = texts.filter((t) => ENGLISH_WORD.test(t));
    const raw = texts.filter((t) => RAW.test(t));
    if (english.length || raw.length) problems.push({ url: href, english, raw });
    await screenshot(page, `fr-${role}-${href.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`);
  }
  return problems;
}

describe('every page of each group in French, on the live shortage demo (issue 17)', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest({ CONTINGENT_DEMO_LIVE: 'true', CONTINGENT_NOW: NOW });
  }, 180_000);
  afterAll(async () => {
    await b?.close();
  });

  it.each([`pui-${NECKER}`, `prescriber-${NECKER}`, 'committee-2', 'lab', 'agency'])('%s: no English word and no raw code left on any page of the menu', async (username) => {
    const { context, page } = await b.signIn(username);
    const problems = await walk(page, username.replace(/-\d+$/, ''));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pharmacy: the home shows the live Démonstramab quota and the requests with French reasons', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Démonstramab');
    expect(main).toMatch(/accordée : place 1 sur \d+ du quota du centre pour décembre 2026/);
    expect(main).toMatch(/quota du centre pour décembre 2026 utilisé : \d+ sur \d+/);
    await screenshot(page, 'fr-live-pharmacy-home');
    await context.close();
  });

  it('committee: the queue shows Démonstramab urgent requests, one overdue; decided requests show their rationale', async () => {
    const { context, page } = await b.signIn('committee-2');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Sauvetage en urgence du greffon (indication fictive de démonstration)');
    expect(main).toContain('échéance dépassée');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Demandes décidées' }).click());
    expect(await page.locator('main').textContent()).toContain('Urgence documentée, critères de sauvetage remplis (démonstration).');
    await context.close();
  });

  it('lab: orders to decide for the current month, one flagged in French; last month’s reconciliation with named establishments', async () => {
    const { context, page } = await b.signIn('lab');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('au-dessus du besoin');
    // Filter by one establishment, then open an order's justification lines.
    await page.getByLabel('Établissement').selectOption({ index: 1 });
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const establishments = await page.locator('main table').first().locator(':scope > tbody > tr > td:nth-child(2)').allTextContents();
    expect(new Set(establishments.map((e) => e.trim())).size).toBe(1);
    await page.locator('main details summary').first().click();
    expect(await page.locator('main details').first().textContent()).toMatch(/\d+ lignes? de justification[\s\S]*P-[A-Z2-9]{10}[\s\S]*\d{2}\/12\/2026/);
    await screenshot(page, 'fr-live-lab-order-lines');
    await page.goto('/laboratoire/rapprochement');
    const rec = (await page.locator('main').textContent()) ?? '';
    expect(rec).toContain('récapitulatif manquant');
    expect(rec).toContain('Hôpital');
    expect(rec).toMatch(/Aucun récapitulatif de novembre 2026 n’a été reçu alors que (\d+ patients? (est|sont) déclarés? en traitement ici à la fin de la période|cet établissement doit en envoyer un)\./);
    await screenshot(page, 'fr-live-lab-reconciliation');
    await context.close();
  });

  it('agency: Politiques lists the policy of every rationed medicine; the audit page shows action labels, never codes', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Politiques', exact: true }).click());
    expect(new URL(page.url()).pathname).toBe('/agence/politiques');
    const policies = (await page.locator('main').textContent()) ?? '';
    expect(policies).toContain('Nulojix');
    expect(policies).toContain('Démonstramab');
    expect(policies).toContain('plafonné');
    await screenshot(page, 'fr-agency-policies-index');
    await page.getByRole('link', { name: /Démonstramab/ }).first().click();
    await page.waitForURL(/\/agence\/politiques\/[A-Z]/);
    await page.goto('/agence/audit');
    const audit = (await page.locator('main table').textContent()) ?? '';
    for (const code of Object.keys(AUDIT_ACTION_LABELS)) expect([code, audit.includes(code)]).toEqual([code, false]);
    expect(audit).toMatch(/Données de démonstration chargées|Demande d’initiation déposée|Commande envoyée/);
    await screenshot(page, 'fr-agency-audit-labels');
    await context.close();
  });

  it('agency, in English when chosen: the allocation of the current month with its sentences in English', async () => {
    const { context, page } = await b.signIn('agency', { lang: 'en' });
    await page.goto('/agence/allocations');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('capped');
    expect(main).not.toContain('plafonné');
    await page.goto('/agence/allocations?period=2027-05&lang=fr');
    expect(await page.getByRole('status').textContent()).toContain("L'allocation de Démonstramab 100 mg (fictif, démonstration) pour mai 2027 n'est pas encore calculée.");
    await screenshot(page, 'fr-agency-allocation-not-computed');
    await context.close();
  });
});
