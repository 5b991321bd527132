import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { bearer } from '../support/test-app';
import { BrowserTest, clickAndWait, screenshot, startBrowserTest } from '../support/browser';

jest.setTimeout(90_000);

const TENON = withFinessKey('75990002'); // committee-2's establishment

/** Issue 19: the inbox and the badge of every page, in French. */
describe('notifications inbox in Chromium', () => {
  let b: BrowserTest;
  beforeAll(async () => {
    b = await startBrowserTest();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
  });

  it('shows the unread count on every page, lists the notifications in French without a NIR, marks one and then all as read', async () => {
    const prescriber = bearer(await b.t.token(`prescriber-${TENON}`));
    const nir = withNirKey('1720869400001');
    const patient = await b.t.http().post('/api/v1/patients').set(prescriber).send({ nir, birthDate: '1972-08-01', sex: 'M', weightKg: 81 });
    const request = await b.t.http().post('/api/v1/initiation-requests').set(prescriber).send({ medicine: 'NULOJIX', indication: 'tma-cni', patient: patient.body.pseudonym, justification: 'MAT sous tacrolimus.', weightKg: 81 });
    expect(request.body.status).toBe('pending_review');
    await b.t.app.get(NotificationsService).idle();

    const { context, page } = await b.signIn('committee-1');
    expect(new URL(page.url()).pathname).toBe('/comite');
    const badge = page.locator('#inbox-badge .badge');
    await badge.waitFor();
    const before = Number(await badge.getAttribute('data-unread'));
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('link', { name: /^Notifications/ }).count()).toBe(1);

    await clickAndWait(page, () => page.getByRole('link', { name: /^Notifications/ }).click());
    expect(new URL(page.url()).pathname).toBe('/notifications');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Notifications');
    expect(await page.getByText(`${before} ${before === 1 ? 'non lue' : 'non lues'}`).first().isVisible()).toBe(true);
    const mine = page.locator('ul.inbox li', { hasText: patient.body.pseudonym });
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Nouvelle demande urgente de NULOJIX à examiner');
    expect(await mine.textContent()).toContain(`Une demande urgente d'initiation de NULOJIX pour le patient ${patient.body.pseudonym} attend l'avis du comité`);
    expect(await mine.textContent()).toContain('Indication : (2) Microangiopathie thrombotique sous anticalcineurines.');
    expect(await mine.getByRole('link', { name: 'Voir' }).getAttribute('href')).toBe('/comite');
    expect(await page.content()).not.toContain(nir);
    await screenshot(page, 'notifications-inbox');

    await clickAndWait(page, () => mine.getByRole('button', { name: 'Marquer comme lu' }).click());
    expect(new URL(page.url()).pathname).toBe('/notifications');
    expect(await page.locator('ul.inbox li', { hasText: patient.body.pseudonym }).getByRole('button', { name: 'Marquer comme lu' }).count()).toBe(0);
    await badge.waitFor();
    expect(Number(await badge.getAttribute('data-unread'))).toBe(before - 1);

    if (before > 1) await clickAndWait(page, () => page.getByRole('button', { name: 'Tout marquer comme lu' }).click());
    expect(await page.getByText('Tout est lu.').isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#inbox-badge .badge').count()).toBe(0);
    // Another page shows the badge too (here: none left).
    await clickAndWait(page, () => page.getByRole('link', { name: 'Demandes décidées' }).click());
    expect(await page.locator('#inbox-badge').count()).toBe(1);
    await screenshot(page, 'notifications-all-read');
    await context.close();
  });
});
