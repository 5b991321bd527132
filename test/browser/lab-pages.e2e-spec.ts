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

  it("lists a period's orders by establishment with need, flags and status; reduces one with a reason and refuses a second decision", async () => {
    const { context, page } = await b.signIn('lab');
    expect(new URL(page.url()).pathname).toBe('/laboratoire/commandes');
    const rows = page.locator('main table tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const establishments = await page.locator('main table tbody tr td:nth-child(2) code').allTextContents();
    expect(establishments).toEqual([...establishments].sort());
    const flagged = page.getByRole('row', { name: /signalée/ }).first();
    expect(await flagged.textContent()).toContain('au-dessus du besoin');
    await screenshot(page, 'lab-orders');

    const id = ((await flagged.locator('td').first().textContent()) ?? '').trim();
    const need = Number(((await flagged.locator('td').nth(5).textContent()) ?? '').replace(/\D/g, ''));
    // A reduction without its reason: refused, the problem next to the reason, the quantity kept.
    await page.getByLabel(`Quantité réduite de ${id}`).fill(String(need));
    await clickAndWait(page, () => page.getByRole('button', { name: `Réduire — ${id}` }).click());
    expect(await page.getByLabel(`Quantité réduite de ${id}`).inputValue()).toBe(String(need));
    expect(await page.getByLabel(`Motif pour ${id}`).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'lab-order-reduce-refused');
    await page.getByLabel(`Motif pour ${id}`).fill('Ramené au besoin calculé.');
    await clickAndWait(page, () => page.getByRole('button', { name: `Réduire — ${id}` }).click());
    expect(await page.getByRole('status').textContent()).toContain(`Commande ${id} : réduite.`);
    expect(await page.getByRole('row', { name: new RegExp(id) }).textContent()).toContain('Ramené au besoin calculé.');

    // Deciding it again (a stale page, a double click): the conflict and its reason are shown on the order.
    const full = await context.request.get(`${b.baseUrl}/api/v1/orders?status=reduced`);
    const order = ((await full.json()) as { items: { id: string }[] }).items.find((o) => o.id.startsWith(id));
    const again = await context.request.post(`${b.baseUrl}/laboratoire/commandes/${order?.id}/confirmation?period=2023-05`, { headers: { Origin: b.baseUrl, Accept: 'text/html' } });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('Cette commande a déjà été décidée (réduite).');
    await context.close();
  });

  it("shows a period's recaps received and missing by establishment, and its reconciliation", async () => {
    const { context, page } = await b.signIn('lab');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Récapitulatifs' }).click());
    await page.getByLabel('Période (AAAA-MM)').fill('2023-04');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    expect(await page.getByRole('heading', { name: 'Récapitulatifs reçus' }).count()).toBe(1);
    const received = page.locator('main table').last();
    expect(await received.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await received.textContent()).toContain('avril 2023');
    expect(await page.locator('main').textContent()).toMatch(/\d+ reçus? sur \d+ attendus?/);
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
    expect(main.includes('Rapprochement du') || main.includes('aucun rapprochement n’a encore été fait')).toBe(true);
    await screenshot(page, 'lab-reconciliation');
    await context.close();
  });

  it('refuses the lab the agency and establishment pages with the reason', async () => {
    const { context, page } = await b.signIn('lab', { lang: 'en' });
    const agency = await page.goto('/agence/politiques/NULOJIX');
    expect(agency?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('Your role may not open this page.');
    await screenshot(page, 'lab-agency-403');
    const establishment = await page.goto('/etablissement');
    expect(establishment?.status()).toBe(403);
    await context.close();
  });
});
