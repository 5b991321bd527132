import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(60_000);

// committee-1 belongs to the first demo centre, Necker.
const NECKER = withFinessKey('75990001');

describe('committee pages in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('shows the queue oldest first with the time left, refuses a vote without rationale next to its field, then decides', async () => {
    const { context, page } = await b.signIn('committee-1');
    expect(new URL(page.url()).pathname).toBe('/comite');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe("File d'attente du comité");
    const articles = page.locator('article.request');
    const count = await articles.count();
    expect(count).toBeGreaterThanOrEqual(2);
    // Oldest first (dates are shown dd/mm/yyyy hh:mm in Paris time; the queue is within one month).
    const submitted = await page.locator('article.request dl dd:nth-of-type(1)').allTextContents();
    const key = (s: string): string => s.replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d)$/, '$3$2$1$4');
    expect(submitted.map(key)).toEqual([...submitted.map(key)].sort());
    expect(await articles.first().textContent()).toMatch(/Temps restant\s*(échéance dépassée|\d+ h \d+ min)/);
    // Pseudonymised: only P-… pseudonyms are shown as patients.
    const heading = (await articles.first().getByRole('heading').textContent()) ?? '';
    expect(heading).toMatch(/^P-[A-Z2-9]{10} — /);
    await screenshot(page, 'committee-queue');

    const patient = heading.split(' — ')[0] ?? '';
    const first = articles.first();
    await first.getByLabel('Approuver').check();
    await clickAndWait(page, () => page.getByRole('button', { name: `Voter — ${patient}` }).click());
    const rationale = page.getByLabel(`Argumentaire (${patient}) (obligatoire)`);
    expect(await rationale.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${(await rationale.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'))}`).textContent()).toContain('obligatoire');
    expect(await page.getByLabel('Approuver').first().isChecked()).toBe(true);
    await screenshot(page, 'committee-vote-invalid');

    await rationale.fill('Indication conforme, dossier complet.');
    await clickAndWait(page, () => page.getByRole('button', { name: `Voter — ${patient}` }).click());
    expect(await page.getByRole('status').textContent()).toMatch(/Vote enregistré ; la demande est (accordée|en file d'attente)\./);
    expect(await page.getByRole('heading', { name: new RegExp(patient) }).count()).toBe(0);
    await clickAndWait(page, () => page.getByRole('link', { name: 'Demandes décidées' }).click());
    expect(await page.getByRole('cell', { name: patient }).count()).toBe(1);
    await screenshot(page, 'committee-decided');
    await context.close();
  });

  it("never shows the member's own establishment's request, and answers a vote on it with not found", async () => {
    // A Necker prescriber asks for an urgent initiation: it waits for the committee.
    const prescriber = await b.signIn(`prescriber-${NECKER}`);
    await prescriber.page.goto('/etablissement/patients');
    await prescriber.page.getByLabel('NIR / INS (15 caractères, jamais conservé)').fill(withNirKey('2700375123457'));
    await prescriber.page.getByLabel('Date de naissance').fill('1970-03-01');
    await prescriber.page.getByLabel('Sexe').selectOption('F');
    await prescriber.page.getByLabel('Poids (kg)').fill('61');
    await clickAndWait(prescriber.page, () => prescriber.page.getByRole('button', { name: 'Enregistrer un patient' }).click());
    const pseudonym = /P-[A-Z2-9]{10}/.exec((await prescriber.page.getByRole('status').textContent()) ?? '')?.[0] ?? '';
    await clickAndWait(prescriber.page, () => prescriber.page.getByRole('link', { name: 'Demandes' }).click());
    await prescriber.page.getByLabel('Indication').selectOption('tma-cni');
    await prescriber.page.getByLabel('Patient (pseudonyme)').fill(pseudonym);
    await prescriber.page.getByLabel('Poids (kg)').fill('61');
    await prescriber.page.getByLabel('Justification clinique').fill('Microangiopathie thrombotique sous tacrolimus.');
    await clickAndWait(prescriber.page, () => prescriber.page.getByRole('button', { name: 'Soumettre une demande' }).click());
    expect(await prescriber.page.getByRole('status').textContent()).toContain('en revue par le comité');
    const response = await prescriber.context.request.get(`${b.baseUrl}/api/v1/initiation-requests?status=pending_review`);
    const own = ((await response.json()) as { items: { id: string; patient: string }[] }).items.find((r) => r.patient === pseudonym);
    expect(own).toBeDefined();
    await prescriber.context.close();

    const { context, page } = await b.signIn('committee-1');
    expect(await page.getByRole('heading', { name: new RegExp(pseudonym) }).count()).toBe(0);
    const vote = await context.request.post(`${b.baseUrl}/comite/demandes/${own?.id}/vote`, { form: { decision: 'approve', rationale: 'ok' }, headers: { Origin: b.baseUrl, Accept: 'text/html' } });
    expect(vote.status()).toBe(404);
    const body = await vote.text();
    expect(body).toContain('ne concerne pas votre établissement');
    expect(body).not.toContain('REQUEST_NOT_FOUND');
    // A form posted from another site is refused before anything happens.
    const crossSite = await context.request.post(`${b.baseUrl}/comite/demandes/${own?.id}/vote`, { form: { decision: 'approve', rationale: 'ok' }, headers: { Origin: 'https://evil.example', Accept: 'text/html' } });
    expect(crossSite.status()).toBe(403);
    await context.close();
  });
});
