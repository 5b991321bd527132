/**
 * Issue 16, monthly recaps: a recap is the centre's own list of the patients it treated — the
 * agency's Nulojix page (shared/seeds/003_b82da22ff9d66ce7.txt):
 *
 *   "Les centres de transplantation continuent à transmettre tous les mois au laboratoire le récapitulatif
 *    des patients traités dans leur établissement. […] Cette démarche temporaire a pour objectif de suivre
 *    l’évolution des besoins et d’identifier d’éventuels doublons (transfert d’un patient d’un établissement
 *    à un autre)."
 *
 * So a NIR that no establishment registered is accepted (only its keyed hash is kept) and found by
 * the reconciliation as UNDECLARED_PATIENT, and as DUPLICATE_ACROSS_ESTABLISHMENTS when a second
 * centre lists the same person. No raw NIR is stored or answered anywhere. Only malformed lines refuse the file.
 */
import { withFinessKey } from '../../src/common/domain/finess';
import { withNirKey } from '../../src/patients/domain/nir';
import { PatientIdentity } from '../../src/patients/patient-identity.service';
import { DB_KIND, TestApp, bearer, startTestApp } from '../support/test-app';

const NECKER = withFinessKey('75990001');
const LYON = withFinessKey('69990001');
const HEADER = 'medicine,period,patient,administrations,vials';
/** A person no establishment registered (a NIR of a 1991 birth, department 99). */
const STRANGER = withNirKey('1910599123456');

describe(`recaps: patients no establishment registered (${DB_KIND})`, () => {
  let t: TestApp;
  let strangerPseudonym: string;
  const upload = async (finess: string, csv: string) =>
    t.http().post('/api/v1/recaps').set(bearer(await t.token(`pui-${finess}`))).attach('file', Buffer.from(csv), { filename: 'recap.csv', contentType: 'text/csv' });
  const ownPatient = async (finess: string): Promise<string> => (await t.http().get('/api/v1/patients?limit=1').set(bearer(await t.token(`pui-${finess}`)))).body.items[0].pseudonym;

  beforeAll(async () => {
    t = await startTestApp();
    const identified = t.app.get(PatientIdentity).identify(STRANGER);
    if (!identified.ok) throw new Error('the test NIR must be well formed');
    strangerPseudonym = identified.pseudonym;
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a recap line whose NIR no establishment registered, keeping only its keyed hash', async () => {
    const registered = await t.dataSource.query(DB_KIND === 'postgres' ? 'SELECT COUNT(*) AS n FROM patients WHERE pseudonym = $1' : 'SELECT COUNT(*) AS n FROM patients WHERE pseudonym = ?', [strangerPseudonym]);
    expect(Number(registered[0].n)).toBe(0);
    const necker = await upload(NECKER, `${HEADER}\nNULOJIX,2023-04,${await ownPatient(NECKER)},1,2\nNULOJIX,2023-04,${STRANGER},2,4\n`);
    expect(necker.status).toBe(201);
    expect(necker.body).toMatchObject({ lines: 2, accepted: 2, establishment: NECKER, period: '2023-04' });
    const lyon = await upload(LYON, `${HEADER}\nNULOJIX,2023-04,${STRANGER},1,2\n`);
    expect(lyon.status).toBe(201);
    const lines = await t.http().get(`/api/v1/recaps/${necker.body.id}`).set(bearer(await t.token(`pui-${NECKER}`)));
    expect(lines.body.patients.items.map((l: { patient: string }) => l.patient)).toContain(strangerPseudonym);
    expect(JSON.stringify([necker.body, lyon.body, lines.body])).not.toContain(STRANGER.slice(0, 13));
  });

  it('still refuses the whole file for a malformed line, an unregistered NIR beside it changing nothing', async () => {
    const badKey = STRANGER.slice(0, 13) + (STRANGER.endsWith('01') ? '02' : '01');
    const res = await upload(NECKER, `${HEADER}\nNULOJIX,2023-04,${STRANGER},1,2\nNULOJIX,2023-04,${badKey},1,2\n`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ line: 3, field: 'patient', reason: expect.stringContaining('key') }]);
    expect(JSON.stringify(res.body)).not.toContain(STRANGER.slice(0, 13));
    // the recap of the first test is still the one stored
    const recaps = await t.http().get('/api/v1/recaps?medicine=NULOJIX&period=2023-04').set(bearer(await t.token(`pui-${NECKER}`)));
    expect(recaps.body.items[0].lines).toBe(2);
  });

  it('reports the person as UNDECLARED_PATIENT at each centre, and as DUPLICATE_ACROSS_ESTABLISHMENTS, with no raw NIR anywhere', async () => {
    const run = await t.http().post('/api/v1/reconciliations/NULOJIX/2023-04/run').set(bearer(await t.token('agency'))).send({});
    expect(run.status).toBeLessThan(300);
    const res = await t.http().get('/api/v1/reconciliations/NULOJIX/2023-04').set(bearer(await t.token('agency')));
    const about = (res.body.discrepancies as { kind: string; establishment: string; patient: string | null }[]).filter((d) => d.patient === strangerPseudonym);
    expect(about.map((d) => `${d.kind} ${d.establishment}`).sort()).toEqual(
      [`DUPLICATE_ACROSS_ESTABLISHMENTS ${LYON}`, `DUPLICATE_ACROSS_ESTABLISHMENTS ${NECKER}`, `UNDECLARED_PATIENT ${LYON}`, `UNDECLARED_PATIENT ${NECKER}`].sort(),
    );
    const stored = JSON.stringify([
      await t.dataSource.query('SELECT * FROM recap_lines'),
      await t.dataSource.query('SELECT * FROM reconciliation_discrepancies'),
      await t.dataSource.query('SELECT * FROM audit_events'),
      await t.dataSource.query('SELECT * FROM patients'),
      res.body,
    ]);
    expect(stored).toContain(strangerPseudonym);
    expect(stored).not.toContain(STRANGER.slice(0, 13));
  });
});
