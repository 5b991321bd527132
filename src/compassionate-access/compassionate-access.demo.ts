import type { EntityManager } from 'typeorm';
import { newId } from '../common/database/ids';
import { addDays } from '../common/domain/period';
import { insertChunks } from '../common/database/insert-chunks';
import type { DemoContext } from '../common/contracts/demo-seed-registry';
import type { NewDirectoryUser, UserDirectory } from '../common/contracts/user-directory';
import type { Role } from '../common/domain/roles';
import type { MedicinesService } from '../medicines/medicines.service';
import { accessQueries } from './access-queries';
import { applyState, toState } from './access-request.mapper';
import { carriedOverRequest } from './access-requests.service';
import { newAccessRequest, transitionAccessRequest, type AccessAction } from './domain/access-workflow';
import { carriesOver } from './domain/carry-over';
import { FOLLOW_UP_DATA_FORM } from './domain/carry-over';
import { CGVHD_FOLLOW_UP_FIELDS, LEE_ITEMS } from './domain/report-tables-efficacy';
import { judgeRequest } from './domain/eligibility';
import { dueForms, type StopReason } from './domain/follow-up';
import { AccessFormEntity } from './entities/access-form.entity';
import { AccessRequestEntity } from './entities/access-request.entity';
import { AccessSchemeEntity } from './entities/access-scheme.entity';
import { SHIPPED_SCHEMES } from './shipped-schemes';
import { CriteriaVersionEntity } from './entities/criteria-version.entity';

export const REZUROCK = 'REZUROCK';
export const QALSODY = 'QALSODY';
export const ONC201 = 'ONC201';
export const DORDAVIPRONE = 'DORDAVIPRONE';

/** The compassionate-access medicines of SPEC §9 and their schemes, from config/<scheme>.yaml. */
export const ACCESS_DEMO_SCHEMES = Object.values(SHIPPED_SCHEMES).flatMap((s) => s.medicines.map((m) => ({
  ...m, scheme: s.code, specialties: m.prescriberSpecialties, clinicalForm: s.form,
})));

const CRITERIA = Object.values(SHIPPED_SCHEMES).flatMap((s) => s.criteriaVersions);

const REZUROCK_FORM = {
  organScores: [{ organ: 'skin', score: 2 }, { organ: 'mouth', score: 1 }, { organ: 'eyes', score: 1 }],
  priorSystemicLines: 3, priorTreatments: ['corticosteroids', 'ruxolitinib'], notEligibleForCorticosteroidsOrRuxolitinib: false,
  weightKg: 68, ageYears: 52, karnofsky: 70, stableCorticosteroidWeeks: 4, childBearingPotential: false, pregnancyTest: 'not_applicable', canBeDeferred: false,
};
const QALSODY_FORM = { sod1MutationConfirmed: true, alsDiagnosis: 'probable', ageYears: 48, alsfrsR: 38, permanentVentilation: false, intrathecalAccessPossible: true, childBearingPotential: false };
const ONC201_FORM = { h3k27mAltered: true, confirmedByMolecularMeeting: true, tumourLocation: 'thalamus', radiotherapyCompleted: true, ageYears: 14, weightKg: 45, lansky: 70 };

interface DemoRequest {
  medicine: string;
  centre: number;
  patient: number;
  prescriber: 'haematologist' | 'neurologist' | 'oncologist';
  on: string;
  clinical: Record<string, unknown>;
  countersign?: string;
  meeting?: { on: string; decision: 'approve' | 'reject'; rationale: string; by: string };
  decision?: { on: string; decision: 'authorise' | 'refuse' | 'exclude'; reason: string };
  /** Dates the agency renewed the authorisation. */
  renewals?: string[];
  /** Scheduled forms not sent (overdue), a stop, and forms carrying adverse events. */
  missing?: string[];
  stop?: { on: string; reason: StopReason; more?: StopReason[] };
  adverseEvents?: Record<string, DemoEvent[]>;
  /** More data of a form by its label (interruption, doseChanged, injections). */
  formData?: Record<string, Record<string, unknown>>;
  /** Authorised by derogation (the decision's reason says why). */
  derogation?: boolean;
}

interface DemoEvent {
  serious: boolean;
  expected: boolean;
  caseId?: string;
  soc?: string;
  pt?: string;
  causality?: 'related' | 'not_related' | 'unknown';
  fatal?: boolean;
  ledToStop?: boolean;
}

/** Rezurock requests of the protocol's first period (seeds/000: 26/09/2023 – 25/03/2024), so that each table of the report has values. */
const REZUROCK_PROTOCOL_FORM: Record<string, unknown> = { ...REZUROCK_FORM, heightCm: 170, concomitantStrongCyp3aInducer: false, concomitantProtonPumpInhibitor: true };
const SOC = {
  tumours: 'Tumeurs bénignes, malignes et non précisées (incl kystes et polypes)',
  nervous: 'Affections du système nerveux',
  vascular: 'Affections vasculaires',
  gi: 'Affections gastro-intestinales',
};

/** Tableaux 9 and 10 answers of an M3 form: each organ's evolution and the symptom scale (Lee), `absent` unless given. */
function cgvhdM3(responses: Record<string, string>, symptoms: Record<string, string>, other?: { name: string; response: string }): Record<string, unknown> {
  const organs = ['mouth', 'skin', 'gi', 'genital', 'liver', 'joints', 'eyes', 'skin_appendages', 'lungs'];
  return {
    organResponses: [...organs.map((organ) => ({ organ, response: responses[organ] ?? 'not_applicable' })), ...(other === undefined ? [] : [{ organ: 'other', ...other }])],
    leeSymptoms: LEE_ITEMS.filter((item) => symptoms[item] !== 'missing').map((item) => ({ item, severity: symptoms[item] ?? 'absent' })),
  };
}

/** Demo requests (fixed dates; only what happened by the demo's "now" is seeded). */
const DEMO_REQUESTS: DemoRequest[] = [
  { medicine: REZUROCK, centre: 0, patient: 0, prescriber: 'haematologist', on: '2023-01-16', clinical: REZUROCK_FORM, countersign: '2023-01-17', decision: { on: '2023-01-20', decision: 'authorise', reason: '' }, renewals: ['2024-01-10', '2025-01-10', '2026-01-09'], adverseEvents: { M3: [{ serious: false, expected: true }] } },
  { medicine: REZUROCK, centre: 8, patient: 0, prescriber: 'haematologist', on: '2023-02-06', clinical: { ...REZUROCK_FORM, weightKg: 81, ageYears: 37, childBearingPotential: true, pregnancyTest: 'negative', contraceptionAgreed: true }, countersign: '2023-02-07', decision: { on: '2023-02-10', decision: 'authorise', reason: '' }, adverseEvents: { M3: [{ serious: true, expected: false }] }, stop: { on: '2023-06-02', reason: 'adverse_event' } },
  { medicine: REZUROCK, centre: 9, patient: 0, prescriber: 'haematologist', on: '2023-02-20', clinical: { ...REZUROCK_FORM, priorSystemicLines: 6, weightKg: 59, ageYears: 61 }, countersign: '2023-02-21', decision: { on: '2023-02-24', decision: 'refuse', reason: 'More than 5 prior systemic lines (2023 protocol).' } },
  { medicine: REZUROCK, centre: 10, patient: 0, prescriber: 'haematologist', on: '2023-03-13', clinical: { ...REZUROCK_FORM, weightKg: 74, ageYears: 45 }, countersign: '2023-03-14', decision: { on: '2023-03-17', decision: 'authorise', reason: '' }, missing: ['M3'] },
  { medicine: REZUROCK, centre: 13, patient: 0, prescriber: 'haematologist', on: '2023-04-03', clinical: { ...REZUROCK_FORM, ageYears: 15, karnofsky: undefined, lansky: 80, weightKg: 48 }, countersign: '2023-04-04' },
  { medicine: REZUROCK, centre: 11, patient: 0, prescriber: 'haematologist', on: '2023-04-11', clinical: { ...REZUROCK_FORM, weightKg: 66, ageYears: 58 }, countersign: '2023-04-12', decision: { on: '2023-04-14', decision: 'exclude', reason: 'Treatment started before the authorisation.' } },
  { medicine: REZUROCK, centre: 12, patient: 0, prescriber: 'haematologist', on: '2025-10-06', clinical: { ...REZUROCK_FORM, priorSystemicLines: 6, weightKg: 70, ageYears: 49 }, countersign: '2025-10-07', decision: { on: '2025-10-10', decision: 'authorise', reason: '' } },
  { medicine: REZUROCK, centre: 1, patient: 0, prescriber: 'haematologist', on: '2023-10-02', clinical: { ...REZUROCK_PROTOCOL_FORM, organScores: [{ organ: 'skin', score: 3 }], ageYears: 64, weightKg: 82, heightCm: 176 }, countersign: '2023-10-03', decision: { on: '2023-10-05', decision: 'authorise', reason: '' }, formData: { M3: { interruption: true, ...cgvhdM3({ mouth: 'improvement', skin: 'stabilisation', eyes: 'disappearance' }, { abnormal_skin_colour: 'moderate', itchy_skin: 'mild', dry_eyes: 'missing', frequent_cough: 'mild', loss_of_energy: 'moderate' }) } }, adverseEvents: { M3: [{ caseId: '2023SA324659', soc: SOC.nervous, pt: 'Céphalée', serious: false, expected: true, causality: 'related' }, { caseId: '2023SA324659', soc: SOC.vascular, pt: 'Hypertension', serious: false, expected: false, causality: 'not_related' }] } },
  { medicine: REZUROCK, centre: 2, patient: 0, prescriber: 'haematologist', on: '2023-10-09', clinical: { ...REZUROCK_PROTOCOL_FORM, organScores: [{ organ: 'lungs', score: 2 }], ageYears: 15, karnofsky: undefined, lansky: 70, weightKg: 45, heightCm: 158, concomitantStrongCyp3aInducer: true }, countersign: '2023-10-10', decision: { on: '2023-10-12', decision: 'authorise', reason: '' }, adverseEvents: { initiation: [{ caseId: '2023SA387346', soc: SOC.tumours, pt: 'Cancer épidermoïde', serious: true, expected: false, causality: 'unknown', ledToStop: true }] }, stop: { on: '2023-12-18', reason: 'adverse_event', more: ['progression'] } },
  { medicine: REZUROCK, centre: 3, patient: 0, prescriber: 'haematologist', on: '2023-11-06', clinical: { ...REZUROCK_PROTOCOL_FORM, weightKg: 38, heightCm: 152, ageYears: 71, concomitantProtonPumpInhibitor: false }, countersign: '2023-11-07', decision: { on: '2023-11-09', decision: 'authorise', reason: 'Dérogation : poids de 38 kg, impasse thérapeutique discutée en RCP.' }, derogation: true, formData: { M3: { doseChanged: true, ...cgvhdM3({ mouth: 'disappearance', skin: 'improvement', gi: 'disappearance', lungs: 'stabilisation' }, { rashes: 'very_severe', skin_sores: 'severe', dry_eyes: 'very_severe', breathless_exercise: 'moderate', limited_joint_movement: 'severe' }, { name: 'ARTICULAIRE', response: 'stabilisation' }) } }, adverseEvents: { M3: [{ caseId: '2024SA103326', soc: SOC.vascular, pt: 'Embolie', serious: true, expected: false, causality: 'related' }, { caseId: '2024SA103326', soc: SOC.gi, pt: 'Diarrhée', serious: false, expected: true, causality: 'related' }] } },
  { medicine: REZUROCK, centre: 4, patient: 0, prescriber: 'haematologist', on: '2023-12-04', clinical: { ...REZUROCK_PROTOCOL_FORM, priorTreatments: ['ruxolitinib', 'methotrexate'], ageYears: 43, weightKg: 104, heightCm: 181 }, countersign: '2023-12-05', decision: { on: '2023-12-07', decision: 'authorise', reason: 'Dérogation : lignes antérieures sans corticoïdes.' }, derogation: true, formData: { M3: cgvhdM3({ skin: 'stabilisation', joints: 'improvement' }, { skin_thickening: 'severe', dry_eyes: 'missing', need_sleep: 'very_severe', anxiety: 'mild' }) } },
  { medicine: REZUROCK, centre: 5, patient: 0, prescriber: 'haematologist', on: '2024-03-18', clinical: REZUROCK_PROTOCOL_FORM, countersign: '2024-03-19' },
  { medicine: QALSODY, centre: 0, patient: 1, prescriber: 'neurologist', on: '2023-02-01', clinical: QALSODY_FORM, countersign: '2023-02-02', meeting: { on: '2023-02-08', decision: 'approve', rationale: 'SOD1 mutation confirmed; rapid progression.', by: 'als-meeting-2' }, decision: { on: '2023-02-10', decision: 'authorise', reason: '' }, renewals: ['2024-02-01'], stop: { on: '2024-03-01', reason: 'death' }, formData: { M3: { injections: 4 }, M6: { injections: 3 }, M9: { injections: 3 }, M12: { injections: 3 } } },
  { medicine: QALSODY, centre: 14, patient: 1, prescriber: 'neurologist', on: '2023-03-01', clinical: { ...QALSODY_FORM, alsfrsR: 12, ageYears: 66 }, countersign: '2023-03-02', meeting: { on: '2023-03-08', decision: 'reject', rationale: 'Advanced disease: expected benefit too small.', by: 'als-meeting-1' } },
  { medicine: QALSODY, centre: 17, patient: 1, prescriber: 'neurologist', on: '2023-04-20', clinical: { ...QALSODY_FORM, alsDiagnosis: 'definite', ageYears: 55, alsfrsR: 41 }, countersign: '2023-04-21' },
  { medicine: ONC201, centre: 0, patient: 2, prescriber: 'oncologist', on: '2024-03-04', clinical: ONC201_FORM, countersign: '2024-03-05', meeting: { on: '2024-03-12', decision: 'approve', rationale: 'H3K27M confirmed, thalamic glioma after radiotherapy.', by: 'molecular-meeting-1' }, decision: { on: '2024-03-15', decision: 'authorise', reason: '' }, renewals: ['2025-03-01', '2026-03-01'] },
  { medicine: ONC201, centre: 8, patient: 2, prescriber: 'oncologist', on: '2024-06-03', clinical: { ...ONC201_FORM, tumourLocation: 'brainstem', ageYears: 9, weightKg: 29, lansky: 60 }, countersign: '2024-06-04', meeting: { on: '2024-06-11', decision: 'approve', rationale: 'Brainstem glioma, H3K27M.', by: 'molecular-meeting-2' }, decision: { on: '2024-06-14', decision: 'authorise', reason: '' }, stop: { on: '2025-02-03', reason: 'progression' } },
  { medicine: ONC201, centre: 11, patient: 2, prescriber: 'oncologist', on: '2025-01-06', clinical: { ...ONC201_FORM, tumourLocation: 'spinal_cord', ageYears: 23, weightKg: 61, karnofsky: 80, lansky: undefined }, countersign: '2025-01-07', meeting: { on: '2025-01-14', decision: 'approve', rationale: 'Spinal H3K27M glioma.', by: 'molecular-meeting-1' }, decision: { on: '2025-01-17', decision: 'authorise', reason: '' }, renewals: ['2026-01-05'] },
];

const definedOnly = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * Demo step `compassionate-access` (order 50): the four medicines and their schemes, criteria versions as rows,
 * the meeting members and the ONC201 preparing pharmacy, and requests, forms and the ONC201 → dordaviprone switch
 * as they would stand on the demo's date.
 */
export async function seedCompassionateAccess(manager: EntityManager, ctx: DemoContext, services: { medicines: MedicinesService; users: UserDirectory }): Promise<void> {
  const at = ctx.now.toISOString();
  const today = at.slice(0, 10);
  await services.medicines.addMedicines(manager, ACCESS_DEMO_SCHEMES.map((m) => ({ code: m.code, name: m.name, unit: m.unit, unitMg: m.unitMg, scheme: 'compassionate', indications: [{ code: m.indication.code, name: m.indication.name }] })), at);
  await insertChunks(manager, AccessSchemeEntity, ACCESS_DEMO_SCHEMES.map((m) => ({
    medicineCode: m.code, scheme: m.scheme, indicationCode: m.indication.code, prescriberSpecialties: [...m.specialties], meeting: m.meeting, supplier: m.supplier,
    validityDays: m.validityDays, followUpEveryMonths: m.followUpEveryMonths, clinicalForm: m.clinicalForm, followUpForm: m.scheme === 'belumosudil' ? { ...FOLLOW_UP_DATA_FORM, ...CGVHD_FOLLOW_UP_FIELDS } : FOLLOW_UP_DATA_FORM,
    reportVariables: m.reportVariables, schedule: m.schedule, availableFrom: m.availableFrom, replacedBy: m.replacedBy, replacedFrom: m.replacedFrom, createdAt: at,
  })));
  await insertChunks(manager, CriteriaVersionEntity, CRITERIA.map((v) => ({
    id: newId(), scheme: v.scheme, version: v.version, effectiveFrom: v.effectiveFrom, criteria: v.criteria.map((c) => ({ id: c.id, sentence: c.sentence, rule: c.rule as object })), publishedAt: at, publishedBy: 'agency',
  })));

  const centre = (i: number): string => ctx.centres[i % ctx.centres.length] as string;
  const user = (username: string, role: Role, establishment: string | null, specialty: string | null, displayName: string): NewDirectoryUser => ({ id: newId(), username, role, establishment, specialty, displayName });
  // The meeting members, the preparing pharmacy and the oncologists sign in with the demo password (the agency's).
  await services.users.addUsersLike(manager, 'agency', [
    user('als-meeting-1', 'committee', centre(4), 'als-meeting', 'Réunion nationale SLA — membre 1'),
    user('als-meeting-2', 'committee', centre(8), 'als-meeting', 'Réunion nationale SLA — membre 2'),
    user('molecular-meeting-1', 'committee', centre(3), 'molecular-meeting', 'Réunion moléculaire nationale — membre 1'),
    user('molecular-meeting-2', 'committee', centre(9), 'molecular-meeting', 'Réunion moléculaire nationale — membre 2'),
    user('onc201-pharmacy', 'lab', null, null, 'Pharmacie hospitalière préparatrice de l’ONC201 (démo)'),
    ...ctx.centres.map((finess) => user(`oncologist-${finess}`, 'prescriber', finess, 'neuro_oncology', `Neuro-oncologue ${finess}`)),
  ], at);

  const schemes = new Map((await manager.getRepository(AccessSchemeEntity).find()).map((s) => [s.medicineCode, s]));
  const requests: AccessRequestEntity[] = [];
  const forms: AccessFormEntity[] = [];
  for (const spec of DEMO_REQUESTS) {
    if (spec.on > today) continue;
    const scheme = schemes.get(spec.medicine) as AccessSchemeEntity;
    const finess = centre(spec.centre);
    const patient = ctx.patientsByCentre.get(finess)?.[spec.patient];
    if (patient === undefined) continue;
    const clinical = definedOnly(spec.clinical);
    const judged = judgeRequest(await accessQueries.criteriaVersions(manager, scheme.scheme), spec.on, clinical);
    if (!judged.ok) continue;
    const check = judged.value;
    const id = newId();
    let row: AccessRequestEntity = {
      id, medicineCode: spec.medicine, scheme: scheme.scheme, indicationCode: scheme.indicationCode, patient, establishment: finess, prescriber: `${spec.prescriber}-${finess}`,
      submittedOn: spec.on, submittedAt: `${spec.on}T09:00:00.000Z`, status: 'submitted', criteriaVersion: check.criteriaVersion, verdict: check.verdict, eligibility: check.eligibility,
      clinical: clinical as AccessRequestEntity['clinical'], countersignedOn: null, countersignedBy: null, countersignComment: null, meetingOn: null, meetingDecision: null, meetingRationale: null,
      meetingBy: null, decisionOn: null, decision: null, decisionReason: null, decisionBy: null, authorisedFrom: null, authorisedUntil: null, renewals: 0, derogation: null, followUpId: id,
      carriedFrom: null, switchedTo: null, updatedAt: at,
    };
    row = applyState(row, newAccessRequest(spec.on, check.verdict, check.eligibility), row.prescriber, at);
    const steps: [AccessAction, string][] = [];
    if (spec.countersign !== undefined) steps.push([{ type: 'countersign', on: spec.countersign, comment: 'Dossier complet.' }, `pui-${finess}`]);
    if (spec.meeting !== undefined) steps.push([{ type: 'meeting', ...spec.meeting }, spec.meeting.by]);
    if (spec.decision !== undefined) steps.push([{ type: 'decide', ...spec.decision, ...(spec.derogation === true ? { derogation: true } : {}) }, 'agency']);
    for (const renewal of spec.renewals ?? []) steps.push([{ type: 'renew', on: renewal }, 'agency']);
    for (const [action, by] of steps) {
      if (action.on > today) break;
      const next = transitionAccessRequest(toState(row), action, { requiresMeeting: scheme.meeting !== null, authorisationValidityDays: scheme.validityDays });
      if (!next.ok) throw new Error(`demo request ${spec.medicine}/${spec.on}: ${next.error.code} ${JSON.stringify(next.error.params)}`);
      row = applyState(row, next.value, by, at);
    }
    requests.push(row);
    if (row.status !== 'authorised' || row.authorisedFrom === null) continue;

    const stopOn = spec.stop !== undefined && spec.stop.on <= today ? spec.stop.on : null;
    const until = row.authorisedUntil as string;
    let current: AccessRequestEntity;
    const successorScheme = scheme.replacedBy === null ? undefined : schemes.get(scheme.replacedBy);
    const switchOn = scheme.replacedFrom;
    let successor: AccessRequestEntity | null = null;
    if (successorScheme !== undefined && switchOn !== null && switchOn <= today && carriesOver({ status: row.status, authorisation: toState(row).authorisation, switchedTo: null, stoppedOn: stopOn !== null && stopOn <= switchOn ? stopOn : null }, switchOn)) {
      successor = carriedOverRequest(row, successorScheme, switchOn, `${scheme.medicineCode} replaced by ${successorScheme.medicineCode} from ${switchOn}`, 'system', at);
      row.switchedTo = successor.id;
      requests.push(successor);
    }
    const lastDay = addDays(today, 1);
    for (const due of dueForms(row.authorisedFrom, lastDay, { everyMonths: scheme.followUpEveryMonths, stoppedOn: stopOn })) {
      const date = addDays(due.dueOn, 3);
      if (date > today || date > until || (stopOn !== null && date > stopOn) || spec.missing?.includes(due.form)) continue;
      current = successor !== null && date >= (switchOn as string) ? successor : row;
      const events = spec.adverseEvents?.[due.form];
      const data = { ...(spec.formData?.[due.form] ?? {}), ...(events === undefined ? {} : { adverseEvents: events }) };
      forms.push(demoForm(current, due.form === 'initiation' ? 'initiation' : 'follow-up', due.form, date, true, null, Object.keys(data).length === 0 ? null : (data as AccessFormEntity['data']), at));
    }
    if (stopOn !== null && spec.stop !== undefined) {
      current = successor !== null && stopOn >= (switchOn as string) ? successor : row;
      forms.push(demoForm(current, 'stop', null, stopOn, false, spec.stop.reason, spec.stop.more === undefined ? null : { reasons: spec.stop.more }, at));
    }
  }
  await insertChunks(manager, AccessRequestEntity, requests);
  await insertChunks(manager, AccessFormEntity, forms);
}

function demoForm(r: AccessRequestEntity, kind: AccessFormEntity['kind'], due: string | null, date: string, administered: boolean, reason: StopReason | null, data: AccessFormEntity['data'], at: string): AccessFormEntity {
  return {
    id: newId(), requestId: r.id, followUpId: r.followUpId, medicineCode: r.medicineCode, patient: r.patient, establishment: r.establishment,
    kind, due, date, administered, reason, data, receivedAt: at, receivedBy: `pui-${r.establishment}`,
  };
}
