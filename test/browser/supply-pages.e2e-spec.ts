import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(60_000);

describe('stock and projection pages in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('shows the agency, beside monthlyCap, the cap the stock sustains and warns when the published cap exceeds it', async () => {
    const { context, page } = await b.signIn('agency');
    // The demo declaration, as the API projects it.
    const api = await context.request.get(`${b.baseUrl}/api/v1/medicines/NULOJIX/projection`);
    const projection = (await api.json()) as { sustainableMonthlyInitiations: number; policyMonthlyCap: number; policyVersion: number };
    expect(projection.sustainableMonthlyInitiations).toBeLessThan(projection.policyMonthlyCap);
    await clickAndWait(page, () => page.getByRole('link', { name: 'Politiques', exact: true }).click());
    await clickAndWait(page, () => page.getByRole('link', { name: /^Politique de Nulojix/ }).click());
    const cap = page.locator('#supply-cap');
    expect(await cap.textContent()).toContain(`Plafond soutenable par le stock (déclaration n° 1 du 01/05/2023, sur 12 mois) : ${projection.sustainableMonthlyInitiations} initiations par mois.`);
    expect(await cap.locator('.supply-cap-exceeded').first().textContent()).toBe(
      `Attention : le plafond publié (${projection.policyMonthlyCap} par mois, version ${projection.policyVersion}) dépasse le plafond soutenable par le stock (${projection.sustainableMonthlyInitiations} par mois) ; les continuations ne seraient plus couvertes.`,
    );
    // It sits in the publish form, right after the monthly cap field.
    expect(await page.locator('form #f-monthlyCap ~ #supply-cap, form .field:has(#f-monthlyCap) + #supply-cap').count()).toBe(1);
    await screenshot(page, 'agency-policy-sustainable-cap');
    await context.close();
  });

  it('shows the lab the projection chart with its text labels and data table in French, and records a declaration', async () => {
    const { context, page } = await b.signIn('lab');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Stock et projection' }).click());
    expect(new URL(page.url()).pathname).toBe('/laboratoire/stock');
    expect(await page.locator('#supply-declaration').textContent()).toMatch(/Déclaration n° 1 du laboratoire \(demo, .*\) : [\d\u202f ]+ unités au 01\/05\/2023, dont [\d\u202f ]+ en pharmacies\./);
    const chart = page.locator('#supply-chart svg[role="img"]');
    expect(await chart.getAttribute('aria-label')).toBe('Stock projeté face aux besoins des continuations et des initiations');
    const marks = chart.locator('g[role="listitem"]');
    expect(await marks.count()).toBe(12);
    expect(await marks.first().getAttribute('aria-label')).toMatch(/^mai 2023 : continuations [\d\u202f ]+, initiations [\d\u202f ]+, stock restant -?[\d\u202f ]+$/);
    expect(await chart.locator('text').allTextContents()).toEqual(expect.arrayContaining(['mai 2023', 'avril 2024', 'continuations', 'initiations', 'stock restant']));
    const table = page.locator('#supply-table');
    expect(await table.locator('tbody tr').count()).toBe(12);
    expect(await table.locator('tbody tr th').first().textContent()).toBe('mai 2023');
    // The table and the chart carry the same numbers: May's continuation units are written in both.
    const mayContinuation = ((await table.locator('tbody tr').first().locator('td').nth(2).textContent()) ?? '').trim();
    expect(await marks.first().getAttribute('aria-label')).toContain(`continuations ${mayContinuation},`);
    expect(await page.locator('#supply-figures').textContent()).toMatch(/Initiations soutenables par mois : \d+/);
    expect(await page.locator('#supply-explanation').textContent()).toMatch(/^Avec [\d\u202f ]+ unités au 01\/05\/2023 et [\d\u202f ]+ attendues de mai 2023 à avril 2024, les \d+ patients en continuation/);
    await screenshot(page, 'lab-supply');

    // A line that is not "YYYY-MM units": refused next to the field, what was typed kept.
    await page.getByLabel('Stock national disponible (unités)').fill('20000');
    await page.getByLabel('Date du stock (AAAA-MM-JJ)').fill('2023-05-15');
    await page.getByLabel('Approvisionnement attendu').fill('2023-06 1500\njuillet beaucoup trop');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Déclarer le stock' }).click());
    expect(await page.getByLabel('Approvisionnement attendu').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#supply-form').textContent()).toContain('ligne 2 : écrire AAAA-MM puis un nombre d’unités');
    expect(await page.getByLabel('Stock national disponible (unités)').inputValue()).toBe('20000');

    await page.getByLabel('Approvisionnement attendu').fill('2023-06 1500\n2023-07 1500');
    await page.getByLabel('Stock des pharmacies (unités, si connu)').fill('');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Déclarer le stock' }).click());
    expect(await page.getByRole('status').textContent()).toContain('Déclaration n° 2 enregistrée.');
    expect(await page.locator('#supply-declaration').textContent()).toContain('20\u202f000 unités au 15/05/2023 (stock des pharmacies non déclaré)');
    expect(await page.locator('#supply-table tbody tr').nth(1).locator('td').first().textContent()).toBe('1\u202f500');
    await context.close();
  });

  it('shows the agency the same projection, read-only, and in English when asked', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Stock et projection' }).click());
    expect(new URL(page.url()).pathname).toBe('/agence/stock');
    expect(await page.locator('#supply-chart svg').count()).toBe(1);
    expect(await page.locator('#supply-form').count()).toBe(0);
    await page.getByLabel('Horizon (mois)').selectOption('6');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    expect(await page.locator('#supply-table tbody tr').count()).toBe(6);
    await clickAndWait(page, () => page.getByRole('link', { name: 'English' }).click());
    expect(await page.locator('#supply-explanation').textContent()).toMatch(/^With [\d,]+ units on 15 May 2023/);
    await screenshot(page, 'agency-supply-en');
    await context.close();
  });
});
