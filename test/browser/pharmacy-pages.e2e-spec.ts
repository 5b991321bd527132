import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(60_000);

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');

describe('pharmacy and prescriber pages in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('registers a patient: a bad NIR is explained next to its (emptied) field, the other values kept, then a good one gives a pseudonym', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    expect(new URL(page.url()).pathname).toBe('/etablissement');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Necker');
    await screenshot(page, 'pharmacy-home');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Patients', exact: true }).click());

    const nir = page.getByLabel('NIR / INS (15 caractères, jamais conservé)');
    await nir.fill('184057512345600');
    await page.getByLabel('Date de naissance').fill('1984-05-01');
    await page.getByLabel('Sexe').selectOption('M');
    await page.getByLabel('Poids (kg)').fill('72,5');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Enregistrer un patient' }).click());
    expect(await nir.inputValue()).toBe(''); // #12.4: a typed NIR is never sent back, even to fix it
    expect(await page.content()).not.toContain('184057512345600');
    expect(await nir.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await nir.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(await page.locator(`#${errorId}`).textContent()).toMatch(/clé/i);
    expect(await page.getByLabel('Poids (kg)').inputValue()).toBe('72,5');
    expect(await page.getByLabel('Sexe').inputValue()).toBe('M');
    await screenshot(page, 'pharmacy-patient-invalid');

    await nir.fill(withNirKey('1840575123456'));
    await clickAndWait(page, () => page.getByRole('button', { name: 'Enregistrer un patient' }).click());
    const notice = await page.getByRole('status').textContent();
    const pseudonym = /P-[A-Z2-9]{10}/.exec(notice ?? '')?.[0];
    expect(pseudonym).toBeDefined();
    expect(await nir.inputValue()).toBe('');
    await clickAndWait(page, () => page.getByRole('link', { name: pseudonym }).click());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(pseudonym);
    await screenshot(page, 'pharmacy-patient');
    const patientUrl = page.url();
    await context.close();

    // Another establishment's patient answers not found, exactly like a missing one.
    const lyon = await b.signIn(`pui-${LYON}`);
    const response = await lyon.page.goto(patientUrl);
    expect(response?.status()).toBe(404);
    expect(await lyon.page.getByRole('alert').textContent()).toContain("Cette page n'existe pas ou ne concerne pas votre établissement.");
    await screenshot(lyon.page, 'pharmacy-other-establishment-404');
    await lyon.context.close();
  });

  it('uploads a recap CSV: every bad line is listed, then a good file is accepted, with htmx and a progress bar', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    await page.goto('/etablissement/patients');
    const pseudonyms = (await page.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim()).slice(0, 2);
    expect(pseudonyms).toHaveLength(2);
    await clickAndWait(page, () => page.getByRole('link', { name: 'Récapitulatifs' }).click());
    await page.getByLabel('Période (AAAA-MM)').fill('2023-04');
    const bad = ['medicine;period;patient;administrations;vials', `NULOJIX;2023-04;${pseudonyms[0]};1;2`, 'NULOJIX;2023-04;P-UNKNOWN999;1;2', `NULOJIX;2023-04;${pseudonyms[1]};x;2`].join('\n');
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'recap.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/etablissement/recapitulatifs') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Envoyer le fichier' }).click()]);
    expect(refused.status()).toBe(422);
    const alert = page.locator('#recap-outcome [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Fichier refusé en entier');
    const rows = await alert.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.includes('3'))).toBe(true);
    expect(rows.some((r) => r.includes('4') && r.includes('administrations'))).toBe(true);
    // htmx left the form as it was: the period typed is still there.
    expect(await page.getByLabel('Période (AAAA-MM)').inputValue()).toBe('2023-04');
    await screenshot(page, 'pharmacy-recap-refused');

    const good = ['medicine,period,patient,administrations,vials', `NULOJIX,2023-04,${pseudonyms[0]},1,2`, `NULOJIX,2023-04,${pseudonyms[1]},2,4`].join('\n');
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'recap.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    const [accepted] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/etablissement/recapitulatifs') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Envoyer le fichier' }).click()]);
    expect(accepted.status()).toBe(201);
    await page.locator('#recap-outcome', { hasText: 'Récapitulatif accepté : 2 lignes' }).waitFor();
    expect(Number(await page.locator('#recap-progress').getAttribute('value'))).toBeGreaterThan(0);
    await screenshot(page, 'pharmacy-recap-accepted');

    await clickAndWait(page, () => page.getByRole('link', { name: 'Écarts' }).click());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Écarts du rapprochement');
    await screenshot(page, 'pharmacy-discrepancies');
    await context.close();
  });

  it("shows the centre's quota with its reason; a quota request beyond it waits with its reason, is ranked, and a bad field is kept next to its problem", async () => {
    const { context, page } = await b.signIn(`prescriber-${NECKER}`);
    const quota = page.getByRole('region', { name: /Quota du mois — Nulojix/ });
    expect(await quota.getByRole('row', { name: /Créneaux attribués/ }).textContent()).toMatch(/\d/);
    expect(await quota.textContent()).toContain('patients suivis donnent un droit de');
    await screenshot(page, 'prescriber-home');

    await page.goto('/etablissement/patients');
    await page.getByLabel('NIR / INS (15 caractères, jamais conservé)').fill(withNirKey('1650975123458'));
    await page.getByLabel('Date de naissance').fill('1965-09-01');
    // The NIR's 1st digit says a man: the form must say so too.
    await page.getByLabel('Sexe').selectOption('M');
    await page.getByLabel('Poids (kg)').fill('80');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Enregistrer un patient' }).click());
    const pseudonym = /P-[A-Z2-9]{10}/.exec((await page.getByRole('status').textContent()) ?? '')?.[0] ?? '';

    await clickAndWait(page, () => page.getByRole('link', { name: 'Demandes' }).click());
    await page.getByLabel('Indication').selectOption('chronic-dysfunction-cni');
    await page.getByLabel('Patient (pseudonyme)').fill(pseudonym);
    await page.getByLabel('Poids (kg)').fill('quatre-vingts');
    await page.getByLabel('Justification clinique').fill('Dysfonction chronique sur toxicité des anticalcineurines.');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Soumettre une demande' }).click());
    const weight = page.getByLabel('Poids (kg)');
    expect(await weight.inputValue()).toBe('quatre-vingts');
    expect(await weight.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${(await weight.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'))}`).textContent()).toContain('doit être un nombre positif');
    expect(await page.getByLabel('Justification clinique').inputValue()).toBe('Dysfonction chronique sur toxicité des anticalcineurines.');

    await weight.fill('80');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Soumettre une demande' }).click());
    const outcome = (await page.getByRole('status').textContent()) ?? '';
    // The demo has used Necker's quota of 2023-05: the request waits, and says why with the numbers.
    expect(outcome).toContain("en file d'attente");
    expect(outcome).toMatch(/quota du centre pour mai 2023 utilisé : \d+ sur \d+ ; prochaine place attendue en juin 2023/);
    await screenshot(page, 'prescriber-request-waitlisted');

    const id = /Demande ([0-9a-f]{8})/.exec(outcome)?.[1] ?? '';
    await page.getByLabel(`Nouveau rang de ${id}`).fill('1');
    await clickAndWait(page, () => page.getByRole('row', { name: new RegExp(id) }).getByRole('button', { name: 'Classer' }).click());
    const row = page.getByRole('row', { name: new RegExp(id) });
    expect(await row.locator('td').nth(5).textContent()).toBe('1');

    // Another establishment's patient: the problem is shown next to the patient field, as typed.
    const lyon = await b.t.token(`pui-${LYON}`);
    const lyonPatients = await b.t.http().get('/api/v1/patients').set('Authorization', `Bearer ${lyon}`);
    const foreign = (lyonPatients.body as { items: { pseudonym: string }[] }).items[0]?.pseudonym ?? '';
    await page.getByLabel('Patient (pseudonyme)').fill(foreign);
    await page.getByLabel('Poids (kg)').fill('70');
    await page.getByLabel('Justification clinique').fill('Dysfonction chronique.');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Soumettre une demande' }).click());
    const patientField = page.getByLabel('Patient (pseudonyme)');
    expect(await patientField.inputValue()).toBe(foreign);
    expect(await page.locator(`#${(await patientField.getAttribute('aria-describedby'))?.split(' ').find((x) => x.endsWith('-error'))}`).textContent()).toContain('n’est pas un patient de cet établissement');
    await screenshot(page, 'prescriber-request-foreign-patient');
    await context.close();
  });

  it('builds an order: each line shows its vials, the need and the flags before sending; sends it flagged', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    await clickAndWait(page, () => page.getByRole('link', { name: 'Commandes' }).click());
    const preview = page.locator('#order-preview');
    // The lines start with the centre's treated patients; the preview is computed from them.
    const lines = page.locator('#order-lines input');
    expect(await lines.count()).toBeGreaterThan(0);
    const need = Number((await page.locator('#order-need').textContent())?.replace(/\D/g, ''));
    expect(need).toBeGreaterThan(0);
    expect(await preview.locator('tbody tr').count()).toBe(await lines.count());

    // Order more than the need: the flag appears before anything is sent.
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/etablissement/commandes/apercu')), page.getByLabel('Quantité commandée (flacons)').fill(String(need + 3)).then(() => page.getByLabel('Quantité commandée (flacons)').blur())]);
    await page.locator('#order-flags', { hasText: 'au-dessus du besoin' }).waitFor();

    // A line added for a patient the centre does not treat: the preview says why, by line.
    const before = await lines.count();
    await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
    expect(await lines.count()).toBe(before + 1);
    const added = page.getByLabel(`Patient de la ligne ${before + 1}`);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/etablissement/commandes/apercu')), added.fill('P-AAAAAAAAAA').then(() => added.blur())]);
    await preview.locator('.alert', { hasText: `1 ligne désigne un patient sans traitement de ce médicament dans cet établissement : ligne ${before + 1}.` }).waitFor();
    await screenshot(page, 'pharmacy-order-preview-refused');

    // Sent as it is: refused whole, the problem next to that line, everything typed kept.
    await clickAndWait(page, () => page.getByRole('button', { name: 'Envoyer la commande' }).click());
    const line = page.getByLabel(`Patient de la ligne ${before + 1}`);
    expect(await line.inputValue()).toBe('P-AAAAAAAAAA');
    expect(await line.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Quantité commandée (flacons)').inputValue()).toBe(String(need + 3));

    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/etablissement/commandes/apercu')), line.fill('').then(() => line.blur())]);
    await page.locator('#order-flags', { hasText: 'au-dessus du besoin' }).waitFor();
    await screenshot(page, 'pharmacy-order-preview');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Envoyer la commande' }).click());
    const sent = (await page.getByRole('status').textContent()) ?? '';
    expect(sent).toContain('signalée');
    expect(sent).toContain('au-dessus du besoin');
    expect(await page.getByRole('cell', { name: 'signalée' }).count()).toBe(1);
    await screenshot(page, 'pharmacy-order-sent');
    await context.close();
  });

  it('declares an initiation from a granted request and a stop; a stop before the start is refused on its row', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    await clickAndWait(page, () => page.getByRole('link', { name: 'Traitements' }).click());
    const request = page.getByLabel('Demande accordée (ou aucune, pour une indication ouverte)');
    const options = await request.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await request.selectOption({ index: 1 });
    await page.getByLabel('Poids (kg)').fill('70');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Déclarer une initiation' }).click());
    const notice = (await page.getByRole('status').textContent()) ?? '';
    expect(notice).toMatch(/Traitement de (P-[A-Z2-9]{10}) déclaré : actif\./);
    const id = /Traitement de (P-[A-Z2-9]{10})/.exec(notice)?.[1] ?? '';
    // A stop asks first; the test answers yes.
    const questions: string[] = [];
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await screenshot(page, 'pharmacy-treatment-started');

    await page.getByLabel(`Date d'arrêt de ${id}`).fill('2001-01-01');
    await page.getByLabel(`Motif d'arrêt de ${id}`).selectOption('adverse_event');
    await clickAndWait(page, () => page.getByRole('button', { name: `Déclarer un arrêt — ${id}` }).click());
    const stopDate = page.getByLabel(`Date d'arrêt de ${id}`);
    expect(await stopDate.inputValue()).toBe('2001-01-01');
    expect(await page.getByRole('row', { name: new RegExp(id) }).getByRole('alert').textContent()).toMatch(/date|début/i);
    expect(questions).toEqual([`Arrêter le traitement de ${id} ? Cette déclaration est définitive.`]);
    expect(await page.getByLabel(`Motif d'arrêt de ${id}`).inputValue()).toBe('adverse_event');
    await screenshot(page, 'pharmacy-treatment-stop-refused');

    await stopDate.fill('2023-05-15');
    await clickAndWait(page, () => page.getByRole('button', { name: `Déclarer un arrêt — ${id}` }).click());
    expect(await page.getByRole('status').textContent()).toBe(`Traitement de ${id} arrêté le 15/05/2023 (effet indésirable).`);
    expect(await page.getByRole('row', { name: new RegExp(id) }).textContent()).toContain('arrêté le 15/05/2023 (effet indésirable)');
    await context.close();
  });

  it('shows a demo patient as a readable French page: identity, treatments and requests with French labels and dates, no raw field name, no JSON, nothing wider than the page (issue 17)', async () => {
    const { context, page } = await b.signIn(`pui-${NECKER}`);
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto('/etablissement/traitements');
    const treated = (await page.locator('tbody tr td:first-child code').first().textContent())?.trim();
    await page.goto('/etablissement/demandes');
    const requested = (await page.locator('tbody tr td:nth-child(2) code').first().textContent())?.trim();
    expect(treated).toMatch(/^P-/);
    expect(requested).toMatch(/^P-/);

    const check = async (pseudonym: string, section: string, line: RegExp): Promise<void> => {
      const response = await page.goto(`/etablissement/patients/${pseudonym}`);
      expect(response?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(`Patient ${pseudonym}`);
      const headings = (await page.getByRole('heading', { level: 2 }).allTextContents()).map((h) => h.trim());
      expect(headings).toEqual(['Identité', 'Traitements', 'Demandes d’initiation', 'Demandes d’accès compassionnel']);
      const identity = await page.locator('main dl').first().innerText();
      expect(identity).toContain('Pseudonyme');
      expect(identity).toMatch(/Sexe\s+(Femme|Homme)/);
      expect(identity).toMatch(/Date de naissance\s+\d{2}\/\d{2}\/\d{4}/);
      expect(identity).toMatch(/Poids \(kg\)\s+\d+(,\d+)?/);
      const table = page.getByRole('table', { name: section });
      expect(await table.locator('thead').innerText()).toMatch(/Médicament et indication\s+Statut\s+Dates/);
      expect(await table.locator('tbody tr').first().innerText()).toMatch(line);
      const text = await page.locator('main').innerText();
      for (const raw of ['startDate', 'stopDate', 'status', 'weightKg', 'policyVersion', 'submittedAt', 'submittedOn', 'establishment', 'medicine', 'verdict', 'treatments', 'accessRequests', 'null', 'undefined']) expect(text).not.toContain(raw);
      expect(text).not.toMatch(/[{}[\]"]/); // no JSON
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // no ISO date
      expect(text).not.toMatch(/\b[12]\d{14}\b/); // never a NIR
      const view = await page.evaluate<number>('document.documentElement.clientWidth');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(view);
      for (const t of await page.locator('main table').all()) {
        const box = await t.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(view);
      }
    };
    await check(treated!, 'Traitements', /(actif|arrêté|transféré)[\s\S]*Début le \d{2}\/\d{2}\/\d{4}/);
    await screenshot(page, 'pharmacy-patient-detail-treatments');
    await check(requested!, 'Demandes d’initiation', /(accordée|en file d'attente|en revue par le comité|refusée|retirée|expirée|démarrée)[\s\S]*Déposée le \d{2}\/\d{2}\/\d{4}[\s\S]*Période : [a-zéû]+ \d{4}/);
    await screenshot(page, 'pharmacy-patient-detail-requests');
    await context.close();
  });

  it('refuses a prescriber the recap page (the API refuses it too) and shows why', async () => {
    const { context, page } = await b.signIn(`prescriber-${NECKER}`);
    expect(await page.getByRole('link', { name: 'Récapitulatifs' }).count()).toBe(0);
    const response = await page.goto('/etablissement/recapitulatifs');
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain("Votre rôle ne permet pas d'accéder à cette page.");
    await screenshot(page, 'prescriber-recaps-403');
    await context.close();
  });
});
