import { AccessFormsService } from '../../src/compassionate-access/access-forms.service';
import { dueForms } from '../../src/compassionate-access/domain/follow-up';
import { withFinessKey } from '../../src/common/domain/finess';
import { JobOptions } from '../../src/jobs/job-options';
import { NotificationOptions } from '../../src/notifications/notification-options';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { withNirKey } from '../../src/patients/domain/nir';
import { SmtpSink } from '../support/smtp-sink';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const TENON = withFinessKey('75990002'); // committee-2's establishment
const LYON = withFinessKey('69990001');
const M = 'NULOJIX';

/** Issue 19: notifications in the inbox and by e-mail through a real SMTP server. */
describe(`notifications: inbox and e-mail (${DB_KIND})`, () => {
  let t: TestApp;
  let sink: SmtpSink;
  let nextNir = 0;
  const nirs: string[] = [];
  const as = async (user: string) => bearer(await t.token(user));

  async function urgent(finess: string, indication = 'tma-cni') {
    nextNir += 1;
    const nir = withNirKey(`1720869${String(300000 + nextNir)}`);
    nirs.push(nir);
    const patient = await t.http().post('/api/v1/patients').set(await as(`prescriber-${finess}`)).send({ nir, birthDate: '1972-08-01', sex: 'M', weightKg: 81 });
    expect(patient.status).toBe(201);
    const res = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${finess}`)).send({ medicine: M, indication, patient: patient.body.pseudonym, justification: 'MAT sous tacrolimus à J10.', weightKg: 81 });
    expect(res.status).toBe(201);
    return res.body as { id: string; patient: string; status: string; deadline: string };
  }

  /** Waits until the after-commit effects and every delivery job have run. */
  async function settle(): Promise<void> {
    await t.app.get(NotificationsService).idle();
    const until = Date.now() + 20_000;
    for (;;) {
      const open = Number((await t.dataSource.query("SELECT COUNT(*) AS n FROM notification_deliveries WHERE state IN ('pending', 'sending', 'retrying')"))[0].n);
      const jobs = Number((await t.dataSource.query("SELECT COUNT(*) AS n FROM job_runs WHERE name LIKE 'notifications.%' AND state IN ('waiting', 'active', 'retrying')"))[0].n);
      if (open === 0 && jobs === 0) return;
      if (Date.now() > until) throw new Error(`${open} deliveries and ${jobs} jobs still open`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));
  /** No NIR of the test's patients in the raw mail, and no run of 13 digits in what a reader sees. */
  const noNir = (mail: { raw: string; subject: string; text: string } | undefined) => {
    for (const nir of nirs) expect(mail?.raw).not.toContain(nir);
    expect(`${mail?.subject} ${mail?.text}`).not.toMatch(/\d{13}/);
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ SMTP_URL: sink.url, MAIL_FROM: 'Contingent <notifications@contingent.test>', PUBLIC_URL: 'https://contingent.example.org' });
    Object.assign(t.app.get(JobOptions), { backoffMs: 100 });
    Object.assign(t.app.get(NotificationOptions), { retryBaseMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('gives every demo user an address: in the login answer, GET /me with the choices, GET /users for the agency only', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'committee-1', password: 'contingent-demo' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ role: 'committee', email: 'committee-1@contingent.test' });
    const me = await t.http().get('/api/v1/me').set(await as('committee-1'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'committee-1', role: 'committee', email: 'committee-1@contingent.test', language: 'fr' });
    expect(me.body.notifications).toEqual(expect.arrayContaining([
      { code: 'URGENT_REQUEST_SUBMITTED', mode: 'immediate', locked: true },
      { code: 'URGENT_DEADLINE_NEAR', mode: 'immediate', locked: true },
      { code: 'ACCESS_MEETING_NEEDED', mode: 'immediate', locked: false },
    ]));
    const users = await t.http().get('/api/v1/users?limit=500').set(await as('agency'));
    expect(users.status).toBe(200);
    expect(users.body.items.find((u: { username: string }) => u.username === `pui-${LYON}`)).toMatchObject({ role: 'pharmacist', establishment: LYON, email: `pui-${LYON}@contingent.test` });
    expect(users.body.items.every((u: { email: string | null }) => u.email === `${(u as unknown as { username: string }).username}@contingent.test`)).toBe(true);
    expect(JSON.stringify(users.body)).not.toMatch(/password/i);
    expect((await t.http().get('/api/v1/users').set(await as(`pui-${LYON}`))).status).toBe(403);
  });

  it('mails a new urgent request to the committee members of other establishments, in French, with the link and no NIR, and puts it in their inbox', async () => {
    const r = await urgent(TENON);
    await settle();
    expect(mailsTo('committee-2@contingent.test')).toHaveLength(0);
    const [one, ...more] = mailsTo('committee-1@contingent.test');
    expect(more).toHaveLength(0);
    expect(mailsTo('committee-3@contingent.test')).toHaveLength(1);
    expect(one).toMatchObject({ from: 'notifications@contingent.test', to: ['committee-1@contingent.test'], subject: '[Contingent] Nouvelle demande urgente de NULOJIX à examiner' });
    expect(one?.text).toContain(`Une demande urgente d'initiation de NULOJIX pour le patient ${r.patient} attend l'avis du comité, au plus tard le 17 mai 2023 à 10:00. Indication : (2) Microangiopathie thrombotique sous anticalcineurines.`);
    expect(one?.text).toContain('Pour agir : https://contingent.example.org/comite');
    expect(one?.messageId).toMatch(/^<[0-9a-f]{40}@contingent\.example\.org>$/);
    noNir(one);

    // The demo data's own urgent requests are in the inbox too.
    const inbox = await t.http().get('/api/v1/notifications').set(await as('committee-1'));
    expect(inbox.status).toBe(200);
    const unread = (await t.http().get('/api/v1/notifications/unread-count').set(await as('committee-1'))).body.unread as number;
    const mine = inbox.body.items.filter((n: { params: { requestId: string } }) => n.params.requestId === r.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ code: 'URGENT_REQUEST_SUBMITTED', subject: 'Nouvelle demande urgente de NULOJIX à examiner', link: '/comite', readAt: null, params: { requestId: r.id, patient: r.patient, indicationCode: 'tma-cni' } });
    expect((await t.http().get('/api/v1/notifications').set(await as('committee-2'))).body.items.filter((n: { params: { requestId: string } }) => n.params.requestId === r.id)).toHaveLength(0);
    const read = await t.http().post(`/api/v1/notifications/${mine[0].id}/read`).set(await as('committee-1'));
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await t.http().get('/api/v1/notifications/unread-count').set(await as('committee-1'))).body).toEqual({ unread: unread - 1 });
    // Another user's notification is a 404, like a missing one.
    expect((await t.http().post(`/api/v1/notifications/${mine[0].id}/read`).set(await as('committee-3'))).status).toBe(404);
  });

  it('mails a decision to the prescriber and the pharmacists of the establishment, and a retried delivery job sends nothing twice', async () => {
    const r = await urgent(LYON);
    await settle();
    const before = sink.mails.length;
    const vote = await t.http().post(`/api/v1/initiation-requests/${r.id}/votes`).set(await as('committee-1')).send({ decision: 'approve', rationale: 'Critères remplis.' });
    expect(vote.body.status).toBe('granted');
    await settle();
    const fresh = sink.mails.slice(before);
    expect(fresh.map((m) => m.to[0]).sort()).toEqual([`prescriber-${LYON}@contingent.test`, `pui-${LYON}@contingent.test`]);
    for (const mail of fresh) {
      expect(mail.subject).toBe("[Contingent] Demande d'initiation de NULOJIX : accordée");
      expect(mail.text).toContain(`pour le patient ${r.patient} est accordée.`);
      expect(mail.text).toContain('https://contingent.example.org/etablissement/demandes');
      noNir(mail);
    }
    // The delivery job again, by hand: every delivery is already sent.
    const count = sink.mails.length;
    const run = await t.http().post('/api/v1/jobs/notifications.deliver/run').set(await as('agency')).send({ date: '2023-05-15' });
    expect(run.status).toBe(202);
    await settle();
    expect(sink.mails.length).toBe(count);
    const history = await t.http().get('/api/v1/notifications/deliveries?limit=500').set(await as('agency'));
    expect(history.status).toBe(200);
    const decided = history.body.items.filter((d: { key: string }) => d.key.startsWith(`REQUEST_DECIDED:${r.id}:granted|`));
    expect(decided).toHaveLength(2);
    for (const d of decided) expect(d).toMatchObject({ state: 'sent', attempts: [{ attempt: 1, outcome: 'sent', finishedAt: expect.any(String) }] });
    expect((await t.http().get('/api/v1/notifications/deliveries').set(await as('committee-1'))).status).toBe(403);
  });

  it('retries a mail the server refused for now, with backoff, and keeps the attempts', async () => {
    sink.failNext(1, 451);
    await urgent(LYON);
    await settle();
    const history = await t.http().get('/api/v1/notifications/deliveries?limit=500').set(await as('agency'));
    const retried = history.body.items.filter((d: { attempts: unknown[] }) => d.attempts.length > 1);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ state: 'sent', attempts: [{ attempt: 1, outcome: 'retry', error: expect.stringContaining('451') }, { attempt: 2, outcome: 'sent' }] });
    // One mail per member of another establishment all the same.
    const keys = sink.mails.map((m) => m.deliveryKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lets users choose per kind: digest holds mails for one daily mail, off keeps them out, the committee cannot switch urgent requests off', async () => {
    const locked = await t.http().put('/api/v1/me/notifications').set(await as('committee-1')).send({ notifications: [{ code: 'URGENT_REQUEST_SUBMITTED', mode: 'off' }] });
    expect(locked.status).toBe(422);
    expect(locked.body).toMatchObject({ code: 'NOTIFICATION_LOCKED', errors: [{ field: 'notifications[0].mode', reason: 'cannot be off for this kind' }] });
    const bad = await t.http().put('/api/v1/me/notifications').set(await as(`prescriber-${LYON}`)).send({ notifications: [{ code: 'REQUEST_DECIDED', mode: 'sometimes' }] });
    expect(bad.status).toBe(400);
    const digest = await t.http().put('/api/v1/me/notifications').set(await as(`prescriber-${LYON}`)).send({ notifications: [{ code: 'REQUEST_DECIDED', mode: 'digest' }] });
    expect(digest.status).toBe(200);
    expect(digest.body.notifications).toEqual(expect.arrayContaining([{ code: 'REQUEST_DECIDED', mode: 'digest', locked: false }]));
    const off = await t.http().put('/api/v1/me/notifications').set(await as(`pui-${LYON}`)).send({ language: 'en', notifications: [{ code: 'REQUEST_DECIDED', mode: 'off' }] });
    expect(off.status).toBe(200);
    expect((await t.http().get('/api/v1/me').set(await as(`pui-${LYON}`))).body).toMatchObject({ language: 'en' });

    const r1 = await urgent(LYON);
    const r2 = await urgent(LYON, 'rescue');
    await settle();
    const before = sink.mails.length;
    await t.http().post(`/api/v1/initiation-requests/${r1.id}/votes`).set(await as('committee-1')).send({ decision: 'approve', rationale: 'Critères remplis.' });
    await t.http().post(`/api/v1/initiation-requests/${r2.id}/votes`).set(await as('committee-2')).send({ decision: 'reject', rationale: 'Pas d’impasse thérapeutique.' });
    await settle();
    expect(sink.mails.slice(before)).toHaveLength(0);
    const pui = await t.http().get('/api/v1/notifications').set(await as(`pui-${LYON}`));
    expect(pui.body.items.filter((n: { params: { requestId: string } }) => [r1.id, r2.id].includes(n.params.requestId))).toHaveLength(0);

    const run = await t.http().post('/api/v1/jobs/notifications.digest/run').set(await as('agency')).send({ date: '2023-05-15' });
    expect(run.status).toBe(202);
    await settle();
    const digests = sink.mails.slice(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ to: [`prescriber-${LYON}@contingent.test`], subject: '[Contingent] Résumé quotidien du 15 mai 2023 : 2 notification(s)' });
    expect(digests[0]?.text).toContain(`pour le patient ${r1.patient} est accordée`);
    expect(digests[0]?.text).toContain(`pour le patient ${r2.patient} est refusée`);
    noNir(digests[0]);
    // The same day's digest again sends nothing.
    await t.http().post('/api/v1/jobs/notifications.digest/run').set(await as('agency')).send({ date: '2023-05-15' });
    await settle();
    expect(sink.mails.slice(before)).toHaveLength(1);
  });

  it('recalls an urgent request 12 h before its deadline, once, from the hourly reminders job', async () => {
    const r = await urgent(TENON, 'rescue');
    await settle();
    const before = sink.mails.length;
    t.clock.set(new Date(new Date(r.deadline).getTime() - 11 * 3600_000));
    try {
      for (const hour of [0, 1]) {
        const run = await t.http().post('/api/v1/jobs/notifications.reminders/run').set(await as('agency')).send({ date: `2023-05-1${6 + hour}` });
        expect(run.status).toBe(202);
        await settle();
      }
    } finally {
      t.clock.set(new Date('2023-05-15T10:00:00+02:00'));
    }
    const near = sink.mails.slice(before).filter((m) => m.subject.includes('échéance dans moins de 12 h') && m.text.includes(r.patient));
    expect(near.map((m) => m.to[0]).filter((to) => to?.startsWith('committee-')).sort()).toEqual(['committee-1@contingent.test', 'committee-3@contingent.test']);
    expect(near.map((m) => m.to[0])).not.toContain('committee-2@contingent.test');
    expect(near[0]?.text).toContain(`pour le patient ${r.patient} doit être examinée par le comité avant le 17 mai 2023 à 10:00`);
  });

  it('mails a flagged order to the lab and the lab’s decision to the pharmacy', async () => {
    t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
    try {
      const pui = await as(`pui-${TENON}`);
      nextNir += 1;
      const nir = withNirKey(`2680133${String(600000 + nextNir)}`);
      nirs.push(nir);
      const patient = await t.http().post('/api/v1/patients').set(pui).send({ nir, birthDate: '1968-01-15', sex: 'F', weightKg: 70 });
      // Version 5 (from 2023-10-02) keeps initiations registered on the platform: the start goes through a request.
      t.clock.set(new Date('2023-10-20T10:00:00+02:00'));
      const granted = await t.http().post('/api/v1/initiation-requests').set(await as(`prescriber-${TENON}`)).send({ medicine: M, indication: 'kidney-transplant', patient: patient.body.pseudonym, justification: 'Greffe rénale.', weightKg: 70 });
      expect(granted.body.status).toBe('granted');
      expect((await t.http().post('/api/v1/treatments').set(pui).send({ request: granted.body.id, startDate: '2023-10-20', weightKg: 70 })).status).toBe(201);
      t.clock.set(new Date('2023-11-10T10:00:00+01:00'));
      await settle();
      const before = sink.mails.length;
      const order = await t.http().post('/api/v1/orders').set(pui).send({ medicine: M, period: '2023-11', quantity: 20, lines: [{ patient: patient.body.pseudonym }] });
      expect(order.body).toMatchObject({ status: 'flagged', need: 6 });
      await settle();
      // Every lab-role user: the manufacturer, and the demo's ONC201 supplier pharmacy (SPEC §9), who has no medicine scope.
      const flagged = sink.mails.slice(before).filter((m) => m.to[0] === 'lab@contingent.test');
      expect(flagged).toHaveLength(1);
      expect(sink.mails.slice(before).map((m) => m.to[0]).filter((to) => to?.startsWith('pui-'))).toEqual([]);
      expect(flagged[0]?.subject).toBe('[Contingent] Commande de NULOJIX signalée pour 2023-11');
      expect(flagged[0]?.text).toContain(`La commande de 20 unités de NULOJIX pour 2023-11 de l'établissement ${TENON} dépasse le besoin calculé (6 unités) : elle attend votre décision.`);
      expect(flagged[0]?.text).toContain('https://contingent.example.org/laboratoire/commandes');
      noNir(flagged[0]);
      const reduced = await t.http().post(`/api/v1/orders/${order.body.id}/reduce`).set(await as('lab')).send({ quantity: 6, reason: 'Besoin justifié.' });
      expect(reduced.status).toBe(200);
      await settle();
      const decided = sink.mails.slice(before).filter((m) => m.subject.includes('réduite'));
      expect(decided.map((m) => m.to[0])).toEqual([`pui-${TENON}@contingent.test`]);
      expect(decided[0]?.subject).toBe('[Contingent] Commande de NULOJIX pour 2023-11 : réduite');
      expect(decided[0]?.text).toContain('Le laboratoire a traité la commande de NULOJIX pour 2023-11 : réduite, 6 unités.');
    } finally {
      t.clock.set(new Date('2023-05-15T10:00:00+02:00'));
    }
  });
  it('recalls a grant about to lapse unstarted to its prescriber, once, from the hourly reminders job', async () => {
    t.clock.set(new Date('2023-10-20T10:00:00+02:00'));
    try {
      nextNir += 1;
      const nir = withNirKey(`2680133${String(700000 + nextNir)}`);
      nirs.push(nir);
      const prescriber = await as(`prescriber-${TENON}`);
      const patient = await t.http().post('/api/v1/patients').set(prescriber).send({ nir, birthDate: '1968-01-15', sex: 'F', weightKg: 70 });
      expect(patient.status).toBe(201);
      const granted = await t.http().post('/api/v1/initiation-requests').set(prescriber).send({ medicine: M, indication: 'kidney-transplant', patient: patient.body.pseudonym, justification: 'Greffe rénale.', weightKg: 70 });
      expect(granted.body.status).toBe('granted');
      const policies = (await t.http().get(`/api/v1/medicines/${M}/policies`).set(prescriber)).body.items as { version: number; startWithinDays: number }[];
      const days = policies.find((p) => p.version === granted.body.policyVersion)?.startWithinDays;
      expect(typeof days).toBe('number');
      const lastDay = new Date(Date.UTC(2023, 9, 20 + (days as number))).toISOString().slice(0, 10);
      await settle();
      const expiring = async () =>
        ((await t.http().get('/api/v1/notifications').set(prescriber)).body.items as { code: string; params: { requestId: string; expiresOn: string; patient: string } }[]).filter((n) => n.code === 'GRANT_EXPIRING' && n.params.requestId === granted.body.id);
      // A week before the last day: not yet in the warning window.
      t.clock.set(new Date(`${new Date(Date.UTC(2023, 9, 20 + (days as number) - 7)).toISOString().slice(0, 10)}T09:00:00+01:00`));
      expect((await t.http().post('/api/v1/jobs/notifications.reminders/run').set(await as('agency')).send({ date: '2023-11-01' })).status).toBe(202);
      await settle();
      expect(await expiring()).toHaveLength(0);
      // Two days before it, twice (two hourly runs): one recall, naming the last day and the pseudonym.
      t.clock.set(new Date(`${new Date(Date.UTC(2023, 9, 20 + (days as number) - 2)).toISOString().slice(0, 10)}T09:00:00+01:00`));
      for (const date of ['2023-11-02', '2023-11-03']) {
        expect((await t.http().post('/api/v1/jobs/notifications.reminders/run').set(await as('agency')).send({ date })).status).toBe(202);
        await settle();
      }
      const recalls = await expiring();
      expect(recalls).toHaveLength(1);
      expect(recalls[0]?.params).toMatchObject({ expiresOn: lastDay, patient: granted.body.patient });
    } finally {
      t.clock.set(new Date('2023-05-15T10:00:00+02:00'));
    }
  });

  it('recalls a follow-up form of a running authorisation coming due within the week, once, to its prescriber', async () => {
    const running = await t.app.get(AccessFormsService).runningFollowUps(t.dataSource.manager);
    const received = (f: (typeof running)[number]) => new Set(f.received.map((r) => r.due));
    // The first running authorisation of the demo with a scheduled form not received yet, and that form.
    const pick = running
      .map((f) => ({ f, next: dueForms(f.authorisedFrom, '2030-01-01', { everyMonths: f.everyMonths, stoppedOn: f.authorisedUntil }).find((d) => !received(f).has(d.form)) }))
      .find((x) => x.next !== undefined && !x.f.received.some((r) => r.due === null));
    expect(pick?.next).toBeDefined();
    const { f, next } = pick as { f: (typeof running)[number]; next: { form: string; dueOn: string } };
    const inbox = async () =>
      ((await t.http().get('/api/v1/notifications').set(await as(f.request.prescriber))).body.items as { code: string; params: { requestId: string; form: string; dueOn: string } }[]).filter((n) => n.code === 'ACCESS_FORM_DUE' && n.params.requestId === f.request.id && n.params.form === next.form);
    const day = (offset: number) => new Date(new Date(`${next.dueOn}T12:00:00Z`).getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    try {
      // Ten days ahead: outside the week's window.
      t.clock.set(new Date(`${day(-10)}T09:00:00Z`));
      expect((await t.http().post('/api/v1/jobs/notifications.reminders/run').set(await as('agency')).send({ date: day(-10) })).status).toBe(202);
      await settle();
      expect(await inbox()).toHaveLength(0);
      // Three days ahead, on two runs: one recall naming the form and its due date.
      t.clock.set(new Date(`${day(-3)}T09:00:00Z`));
      for (const date of [day(-3), day(-2)]) {
        expect((await t.http().post('/api/v1/jobs/notifications.reminders/run').set(await as('agency')).send({ date })).status).toBe(202);
        await settle();
      }
      const recalls = await inbox();
      expect(recalls).toHaveLength(1);
      expect(recalls[0]?.params).toMatchObject({ form: next.form, dueOn: next.dueOn });
    } finally {
      t.clock.set(new Date('2023-05-15T10:00:00+02:00'));
    }
  });

  it('tells the agency when a published cap exceeds what the declared stock sustains, and not when it fits', async () => {
    const agency = await as('agency');
    const projection = await t.http().get('/api/v1/medicines/NULOJIX/projection?horizon=12').set(agency);
    expect(projection.status).toBe(200);
    const sustainable = projection.body.sustainableMonthlyInitiations as number;
    expect(typeof sustainable).toBe('number');
    const publish = (effectiveFrom: string, monthlyCap: number) =>
      t.http().post('/api/v1/medicines/NULOJIX/policies').set(agency).send({ effectiveFrom, mode: 'capped', monthlyCap, quotaPool: 0, indications: [{ code: 'tma-cni', kind: 'urgent' }] });
    const before = sink.mails.length;
    const above = await publish('2030-01-01', sustainable + 5);
    expect(above.status).toBe(201);
    const within = await publish('2030-02-01', sustainable);
    expect(within.status).toBe(201);
    await settle();
    const items = (await t.http().get('/api/v1/notifications').set(agency)).body.items as { code: string; params: { version: number; monthlyCap: number; sustainable: number } }[];
    const alerts = items.filter((n) => n.code === 'POLICY_CAP_ABOVE_SUSTAINABLE');
    expect(alerts.map((n) => n.params.version)).toEqual([above.body.version]);
    expect(alerts[0]?.params).toMatchObject({ monthlyCap: sustainable + 5, sustainable });
    const mails = sink.mails.slice(before).filter((m) => m.to[0] === 'agency@contingent.test' && m.subject.includes('au-dessus de ce que le stock permet'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`fixe ${sustainable + 5} initiations par mois, alors que le stock déclaré par le laboratoire`);
    expect(mails[0]?.text).toContain('/agence/stock');
  });
});
