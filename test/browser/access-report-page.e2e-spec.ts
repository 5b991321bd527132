import { withFinessKey } from '../../src/common/domain/finess';
import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(90_000);

/**
 * The printable periodic report (SPEC §9), read like the seed report (seeds/000 Rezurock n°1): the same
 * tables in the same order, French headings and number formats, printable to PDF from the browser.
 */
describe('the printable compassionate-access report in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest({ CONTINGENT_NOW: '2024-06-03T10:00:00+02:00' });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('shows the Rezurock report n°1 period with the seed\'s tables in order, and prints without the form', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Rapport périodique AC' }).click());
    expect(new URL(page.url()).pathname).toBe('/rapport-acces');
    await page.getByLabel('Médicament').selectOption('REZUROCK');
    await page.getByLabel('Du').fill('2023-09-26');
    await page.getByLabel('Au').fill('2024-03-25');
    await page.getByLabel('Date de gel').fill('2024-03-25');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher le rapport' }).click());

    const captions = await page.locator('article.access-report table caption').allTextContents();
    const order = ['Tableau 1 :', 'Tableau 2 :', 'Tableau 3 :', 'Tableau 4 :', 'Tableau 5 :', 'Tableau 6 :', 'Tableau 7 :', 'Tableau 8 :', 'Tableau 9 :', 'Tableau 10 :', 'Tableau 11 :', 'Tableau 12 :'].map((p) => captions.findIndex((c) => c.startsWith(p)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(captions[0]).toBe('Tableau 1 : Fiches reçues et fiches attendues - Patients inclus (N=4)');

    const table2 = page.locator('#tableau-2');
    const text2 = (await table2.textContent()) ?? '';
    for (const label of ['Moyenne ± ET', 'Médiane', 'Q1 ; Q3', 'Min. ; Max.', 'Manquant', 'Âge (ans)', 'Enfant (12 - 18 ans)', 'Taille (cm)', 'Indice de masse corporelle (en classes)', 'Normal [18,5 ; 25[']) {
      expect(text2).toContain(label);
    }
    // percentages to one decimal, French style: 3 adults of 4 = "3 (75,0 %)"
    expect(text2).toContain('3 (75,0 %)');
    expect(await page.locator('#tableau-3').textContent()).toContain('Grade selon classification Consensus NIH');
    // Tableaux 9 and 10 (seed: "Atteintes cliniques : Buccale - M3 NA 2 (40%)", "Sécheresse oculaire - M3 Manquant 2")
    const text9 = (await page.locator('#tableau-9').textContent()) ?? '';
    for (const label of ['Atteintes cliniques : Buccale - M3', 'Disparition', 'Amélioration', 'Atteintes cliniques : Autre (ARTICULAIRE) - M3', '1 (33,3 %)']) expect(text9).toContain(label);
    const text10 = (await page.locator('#tableau-10').textContent()) ?? '';
    for (const label of ['YEUX ET BOUCHE', 'Sécheresse oculaire - M3', 'Manquant', 'Très intense', 'Total (N=3)']) expect(text10).toContain(label);
    expect(await page.locator('#tableau-11').textContent()).toContain('Nombre de cas PV graves (quelle que soit la relation causale)');
    expect(await page.locator('#tableau-12').textContent()).toContain('Cancer épidermoïde');
    expect(await page.getByText('Patients inclus par dérogation à un critère : 2.').count()).toBe(1);
    await screenshot(page, 'access-report');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form[action="/rapport-acces"]').isVisible()).toBe(false);
    expect(await page.locator('nav.main').isVisible()).toBe(false);
    expect(await page.locator('#tableau-12').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await context.close();
  });

  it('is for the agency and the lab only: a pharmacist is turned away', async () => {
    const { context, page } = await b.signIn(`pui-${withFinessKey('75990001')}`);
    const res = await page.goto('/rapport-acces');
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
