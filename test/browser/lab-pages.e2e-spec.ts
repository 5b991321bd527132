import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(60_000);

describe('lab pages in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it("shows a period's recaps received and missing by establishment, and its reconciliation", async () => {
    const { context, page } = await b.signIn('lab');
    expect(new URL(page.url()).pathname).toBe('/laboratoire/recapitulatifs');
    await page.getByLabel('Période (AAAA-MM)').fill('2023-04');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    expect(await page.getByRole('heading', { name: 'Récapitulatifs reçus' }).count()).toBe(1);
    const received = page.locator('main table').last();
    expect(await received.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await received.textContent()).toContain('2023-04');
    expect(await page.locator('main').textContent()).toMatch(/\d+ reçu\(s\) sur \d+ attendu\(s\)/);
    await screenshot(page, 'lab-recaps');

    await clickAndWait(page, () => page.getByRole('link', { name: 'Rapprochement' }).click());
    await page.getByLabel('Période (AAAA-MM)').fill('2023-13');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const period = page.getByLabel('Période (AAAA-MM)');
    expect(await period.inputValue()).toBe('2023-13');
    expect(await period.getAttribute('aria-invalid')).toBe('true');
    await period.fill('2023-04');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    // Either the run's discrepancies, or why there is none yet, next to the period.
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main.includes('Rapprochement du') || main.includes('has no reconciliation yet')).toBe(true);
    await screenshot(page, 'lab-reconciliation');
    await context.close();
  });

  it('refuses the lab the agency and establishment pages with the reason', async () => {
    const { context, page } = await b.signIn('lab', { lang: 'en' });
    const agency = await page.goto('/agence/politiques/NULOJIX');
    expect(agency?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('The lab role may not call this (allowed: agency)');
    expect(await page.getByRole('alert').textContent()).toContain('Your role may not open this page.');
    await screenshot(page, 'lab-agency-403');
    const establishment = await page.goto('/etablissement');
    expect(establishment?.status()).toBe(403);
    await context.close();
  });
});
