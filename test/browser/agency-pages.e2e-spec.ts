import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(60_000);

describe('agency pages in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('signs in in French, shows the Nulojix timeline with the version in force, and publishes a new version', async () => {
    const { context, page } = await b.signIn('agency');
    expect(new URL(page.url()).pathname).toBe('/agence');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe("Tableau de bord de l'agence");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'contingent_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    await screenshot(page, 'agency-home');

    await clickAndWait(page, () => page.getByRole('link', { name: 'Politiques — NULOJIX' }).click());
    // 2023-05-15: the capped version of 2023-05-09 is the one in force.
    const inForce = page.getByRole('heading', { level: 3 }).filter({ hasText: 'en vigueur' });
    expect(await inForce.count()).toBe(1);
    expect(await inForce.textContent()).toContain('2023-05-09');
    expect(await inForce.textContent()).toContain('plafonné');
    await screenshot(page, 'agency-policies');

    await page.getByLabel("Date d'effet").fill('2024-06-01');
    await page.getByLabel('Mode').selectOption('unrestricted');
    await page.getByLabel('Notes').fill('Version de test');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Publier la version' }).click());
    expect(await page.getByRole('status').textContent()).toContain('Version 7 publiée, en vigueur le 2024-06-01.');
    expect(await page.getByRole('heading', { level: 3 }).first().textContent()).toContain('Version 7 — 2024-06-01');
    await context.close();
  });

  it('shows each problem of a bad policy next to its field and keeps what was typed', async () => {
    const { context, page } = await b.signIn('agency');
    await page.goto('/agence/politiques/NULOJIX');
    await page.getByLabel("Date d'effet").fill('2023-06-01');
    await page.getByLabel('Mode').selectOption('capped');
    await page.getByLabel('Plafond mensuel national').fill('douze');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Publier la version' }).click());
    const cap = page.getByLabel('Plafond mensuel national');
    expect(await cap.inputValue()).toBe('douze');
    expect(await cap.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await cap.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toContain('doit être un nombre entier');
    expect(await page.getByLabel("Date d'effet").inputValue()).toBe('2023-06-01');
    expect(await page.getByLabel('Mode').inputValue()).toBe('capped');
    await screenshot(page, 'agency-policy-invalid');

    // A rule refusal from the service: a date before the latest version, its reason next to the date.
    await page.getByLabel('Plafond mensuel national').fill('40');
    await page.getByLabel('Réserve des quotas (initiations par mois)').fill('0');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Publier la version' }).click());
    expect(await page.getByRole('alert').textContent()).toMatch(/La version \d+ prend effet le \d\d\/\d\d\/2024 : une nouvelle version doit prendre effet après, pas le 01\/06\/2023\./);
    const date = page.getByLabel("Date d'effet");
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await date.getAttribute('aria-describedby')}`).textContent()).toMatch(/doit être après le \d\d\/\d\d\/2024, date de la dernière version/);
    expect(await page.getByLabel('Plafond mensuel national').inputValue()).toBe('40');
    await screenshot(page, 'agency-policy-refused');
    await context.close();
  });

  it('switches to English and keeps the choice; verifies the audit chain with htmx', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'English' }).click());
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Agency dashboard');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Audit' }).click());
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Audit chain verification');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/agence/audit/verification')), page.getByRole('button', { name: 'Verify the chain' }).click()]);
    await page.locator('#audit-result', { hasText: 'Chain intact' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/agence/audit');
    await screenshot(page, 'agency-audit');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Establishments' }).click());
    expect(await page.getByRole('cell', { name: 'AP-HP Hôpital Necker-Enfants malades' }).isVisible()).toBe(true);
    await screenshot(page, 'agency-establishments');
    await context.close();
  });

  it('shows a compassionate-access report and refuses a cut-off before the start next to its field', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Accès compassionnel' }).click());
    const medicine = page.getByLabel('Médicament');
    const options = await medicine.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    await page.getByLabel('Du').fill('2023-01-01');
    await page.getByLabel('Au').fill('2023-12-31');
    await page.getByLabel('Date de gel').fill('2022-12-01');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const cutoff = page.getByLabel('Date de gel');
    expect(await cutoff.inputValue()).toBe('2022-12-01');
    expect(await cutoff.getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Date de gel').fill('2024-01-31');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    expect(await page.getByRole('table').first().textContent()).toContain('reçues');
    await screenshot(page, 'agency-access-report');
    await context.close();
  });

  it("shows the period's allocation per centre and the fairness and capacity charts with text labels", async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Allocations' }).click());
    await page.getByLabel('Période (AAAA-MM)').fill('2023-05');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const necker = page.getByRole('row', { name: /Necker/ });
    expect(await necker.count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('Capacité nationale 50');
    await screenshot(page, 'agency-allocation');

    await clickAndWait(page, () => page.getByRole('link', { name: 'Graphiques' }).click());
    await page.getByLabel('De (AAAA-MM)').fill('mai');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const from = page.getByLabel('De (AAAA-MM)');
    expect(await from.inputValue()).toBe('mai');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    await from.fill('2023-05');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Afficher' }).click());
    const fairness = page.locator('#fairness-chart svg');
    expect(await fairness.getAttribute('role')).toBe('img');
    expect(await fairness.locator('text').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^écart [+−±]\d/)]));
    expect(await page.locator('#capacity-chart svg text').allTextContents()).toEqual(expect.arrayContaining(['2023-05', expect.stringMatching(/^\d+\/50$/)]));
    await screenshot(page, 'agency-charts');
    await context.close();
  });

  it('lists the jobs with a link to the queue dashboard, and runs one', async () => {
    const { context, page } = await b.signIn('agency');
    await clickAndWait(page, () => page.getByRole('link', { name: 'Tâches' }).click());
    expect(await page.getByRole('link', { name: "Tableau de bord des files d'attente" }).getAttribute('href')).toBe('/admin/queues');
    await page.getByRole('combobox', { name: /^Tâche/ }).selectOption('committee.overdue');
    await page.getByLabel('Période (AAAA-MM, facultatif)').fill('mai 2023');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Lancer une tâche' }).click());
    const period = page.getByLabel('Période (AAAA-MM, facultatif)');
    expect(await period.inputValue()).toBe('mai 2023');
    expect(await period.getAttribute('aria-invalid')).toBe('true');
    await period.fill('');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Lancer une tâche' }).click());
    // A job needs a target: the service's reason is shown, next to the field it names.
    expect(await page.getByRole('alert').textContent()).toContain('La tâche committee.overdue demande un médicament et une période, ou une date.');
    await page.getByLabel('Date (obligatoire pour les tâches quotidiennes)').fill('2023-05-15');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Lancer une tâche' }).click());
    expect(await page.getByRole('status').textContent()).toContain('Tâche committee.overdue mise en file');
    expect(await page.getByRole('cell', { name: 'committee.overdue' }).count()).toBeGreaterThan(0);
    await screenshot(page, 'agency-jobs');
    await context.close();
  });

  it('sends a page without a session to the sign-in page and back after signing in', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    await page.goto('/agence/audit');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await page.getByLabel("Nom d'utilisateur").fill('agency');
    await page.getByLabel('Mot de passe').fill('wrong-password');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    expect(await page.getByRole('alert').textContent()).toContain("Nom d'utilisateur ou mot de passe incorrect.");
    expect(await page.getByLabel("Nom d'utilisateur").inputValue()).toBe('agency');
    expect(await page.getByLabel('Mot de passe').inputValue()).toBe('');
    await screenshot(page, 'sign-in-refused');
    await page.getByLabel('Mot de passe').fill('contingent-demo');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Se connecter' }).click());
    expect(new URL(page.url()).pathname).toBe('/agence/audit');
    await clickAndWait(page, () => page.getByRole('button', { name: 'Se déconnecter' }).click());
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect((await context.cookies()).find((c) => c.name === 'contingent_session')).toBeUndefined();
    await context.close();
  });
});
