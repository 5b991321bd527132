import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { CommitteeService } from '../allocation/committee.service';
import { InitiationRequestsService } from '../allocation/initiation-requests.service';
import { AccessRequestsService } from '../compassionate-access/access-requests.service';
import { Actor, SYSTEM_ACTOR } from '../common/domain/roles';
import { DomainError } from '../common/domain/domain-error';
import { addDays, addPeriods, periodBounds, periodOf, periodStart } from '../common/domain/period';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MedicinesService } from '../medicines/medicines.service';
import { PoliciesService } from '../medicines/policies.service';
import { OrdersService } from '../orders/orders.service';
import { hashNir, pseudonymOf } from '../patients/domain/pseudonym';
import { DemoPatient, PatientsService } from '../patients/patients.service';
import { newId } from '../common/database/ids';
import { DemoRecap, RecapsService } from '../recaps/recaps.service';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { administrationsInPeriod, DosingSchedule, vialsNeeded } from '../medicines/domain/dosing-schedule';
import type { TreatmentEntity } from '../treatments/entities/treatment.entity';
import { TreatmentsService } from '../treatments/treatments.service';
import { USER_DIRECTORY, type UserDirectory } from '../common/contracts/user-directory';
import { DemoContext, DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { demoNir } from './demo-seeder.service';

/** The fictitious medicine of the live shortage demo: no real product bears this name. */
export const DEMONSTRAMAB = 'DEMONSTRAMAB';
export const DEMONSTRAMAB_NAME = 'Démonstramab 100 mg (fictif, démonstration)';
export const DEMONSTRAMAB_QUOTA = 'chronic-rejection-demo';
export const DEMONSTRAMAB_URGENT = 'acute-rescue-demo';
export const DEMONSTRAMAB_OPEN = 'maintenance-demo';

/** Every 14 days from day 1, 3 mg/kg, 100 mg vials. */
export const DEMONSTRAMAB_SCHEDULE: DosingSchedule = { administrations: [], maintenance: { fromDay: 1, everyDays: 14, doseMgPerKg: 3 }, unitMg: 100 };

/** Centres (index in DEMO_CENTRES) that treat patients with Démonstramab, and the extra demo patients they register. */
const TREATING = 12;
/** Extra demo patients per treating centre, numbered after the core's six. */
const FIRST_EXTRA = 6;
const EXTRA = 5;
/** Centres whose recap of last month is missing, the centre with a stopped patient still in its recap, and so on. */
const RECAP_MISSING = [3, 10];
const STOPPED_AT = 2;
const UNDECLARED_AT = 4;
const OMITTED_AT = 6;
const HOUR = 3_600_000;

interface Plan {
  current: string;
  previous: string;
  /** Version 1 (unrestricted) from six months ago; version 2 (capped) from the first day of last month. */
  unrestrictedFrom: string;
  cappedFrom: string;
}

export function livePlan(now: Date): Plan {
  const current = periodOf(now);
  const previous = addPeriods(current, -1);
  return { current, previous, unrestrictedFrom: `${addPeriods(current, -6)}-01`, cappedFrom: `${previous}-01` };
}

/**
 * The live shortage of the demo (issue 17): whatever the date the demo starts on, a clearly fictitious
 * medicine, Démonstramab, is under a `capped` policy in force in the current period: centres' quotas,
 * quota requests granted and waitlisted, urgent requests in the committee's queue with their deadlines
 * (one overdue), orders to decide (one flagged), last month's recaps received and missing, and last
 * month's reconciliation with discrepancies. Everything is dated relative to the start date and goes
 * through the modules' own use cases where one exists.
 */
@Injectable()
export class LiveShortageDemo {
  private readonly logger = new Logger(LiveShortageDemo.name);

  constructor(registry: DemoSeedRegistry, private readonly moduleRef: ModuleRef, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (!config.demoLive) return;
    // Registered here, before any onModuleInit: it runs before supply's step of the same order, which counts its treatments.
    registry.register('live shortage (Démonstramab, fictitious)', 60, (manager, ctx) => this.seed(manager, ctx));
    registry.registerAfter('live shortage reconciliation', (ctx) => this.reconcile(ctx));
    registry.registerAfter('live compassionate-access requests', (ctx) => this.accessRequests(ctx));
  }

  private service<T>(type: new (...args: never[]) => T): T {
    return this.moduleRef.get(type, { strict: false });
  }

  /** A demo user as the actor of a use case (through the auth module's USER_DIRECTORY). */
  private actorOf(manager: EntityManager, username: string): Promise<Actor | null> {
    return this.moduleRef.get<symbol, UserDirectory>(USER_DIRECTORY, { strict: false }).actorOf(manager, username);
  }

  async seed(manager: EntityManager, ctx: DemoContext): Promise<void> {
    const plan = livePlan(ctx.now);
    const at = ctx.now.toISOString();
    await this.service(MedicinesService).addMedicines(manager, [{
      code: DEMONSTRAMAB, name: DEMONSTRAMAB_NAME, unit: 'vial', unitMg: 100, scheme: 'rationing', indications: [
        { code: DEMONSTRAMAB_QUOTA, name: 'Rejet chronique du greffon (indication fictive de démonstration)' },
        { code: DEMONSTRAMAB_URGENT, name: 'Sauvetage en urgence du greffon (indication fictive de démonstration)' },
        { code: DEMONSTRAMAB_OPEN, name: 'Entretien (indication fictive de démonstration)' },
      ],
    }], at);
    await this.service(PoliciesService).addTimeline(manager, DEMONSTRAMAB, [{
      effectiveFrom: plan.unrestrictedFrom, mode: 'unrestricted', indications: [{ code: DEMONSTRAMAB_OPEN, kind: 'open' }, { code: DEMONSTRAMAB_QUOTA, kind: 'open' }],
      schedule: DEMONSTRAMAB_SCHEDULE as unknown as Record<string, unknown>, orderTolerancePct: 10,
      notes: 'Médicament fictif de démonstration : pas de restriction.',
    }, {
      effectiveFrom: plan.cappedFrom, mode: 'capped', monthlyCap: 20, quotaPool: 14,
      indications: [{ code: DEMONSTRAMAB_URGENT, kind: 'urgent' }, { code: DEMONSTRAMAB_QUOTA, kind: 'quota' }],
      committee: { votesRequired: 1, deadlineHours: 48 }, unusedQuota: 'lapse', redistribute: false, orderTolerancePct: 10,
      notes: 'Médicament fictif de démonstration : tension d’approvisionnement, 20 initiations par mois dont 14 réparties entre les centres.',
    }], at, 'agency');

    const patients = await this.addPatients(manager, ctx, at);
    const treatments = this.treatments(ctx, patients, plan, at);
    await this.service(TreatmentsService).addDemoTreatments(manager, treatments);
    await this.requests(manager, ctx, patients, plan);
    await this.orders(manager, ctx, plan);
    await this.recaps(manager, ctx, patients, treatments, plan);
  }

  /** Five more demo patients at each of the first twelve centres (valid fictitious NIRs, like the core's). */
  private async addPatients(manager: EntityManager, ctx: DemoContext, at: string): Promise<Map<string, { pseudonym: string; weightKg: number }[]>> {
    const byCentre = new Map<string, { pseudonym: string; weightKg: number }[]>();
    const rows: DemoPatient[] = [];
    ctx.centres.slice(0, TREATING).forEach((finess, i) => {
      const list: { pseudonym: string; weightKg: number }[] = [];
      for (let j = FIRST_EXTRA; j < FIRST_EXTRA + EXTRA; j++) {
        const nir = demoNir(finess.slice(0, 2), i, j);
        const nirHash = hashNir(nir, this.config.patientIdSecret);
        const pseudonym = pseudonymOf(nirHash, this.config.patientIdSecret);
        const year = 1950 + ((i * 7 + j * 13) % 50);
        const month = String(1 + ((i + j) % 12)).padStart(2, '0');
        const weightKg = 55 + ((i * 11 + j * 17) % 45);
        rows.push({ pseudonym, nirHash, birthDate: `${year}-${month}-15`, sex: j % 2 === 0 ? 'M' : 'F', weightKg, finess });
        list.push({ pseudonym, weightKg });
      }
      byCentre.set(finess, list);
    });
    await this.service(PatientsService).addDemoPatients(manager, rows, at);
    return byCentre;
  }

  /** The first two extra patients of each treating centre on Démonstramab since before the shortage; at one centre a third, stopped last month. */
  private treatments(ctx: DemoContext, patients: Map<string, { pseudonym: string; weightKg: number }[]>, plan: Plan, at: string): TreatmentEntity[] {
    const rows: TreatmentEntity[] = [];
    ctx.centres.slice(0, TREATING).forEach((finess, i) => {
      const list = patients.get(finess) ?? [];
      list.slice(0, i === STOPPED_AT ? 3 : 2).forEach((p, j) => {
        const startDate = addDays(plan.unrestrictedFrom, 3 + ((i * 5 + j * 9) % 40));
        const stopped = j === 2;
        const stopDate = stopped ? addDays(`${addPeriods(plan.previous, -1)}-01`, 10) : null;
        rows.push({
          id: newId(), patient: p.pseudonym, medicine: DEMONSTRAMAB, indication: DEMONSTRAMAB_QUOTA, establishment: finess, establishmentSince: startDate,
          status: stopped ? 'stopped' : 'active', startDate, weightKg: p.weightKg, stopDate, stopReason: stopped ? 'adverse_event' : null,
          requestId: null, policyVersion: 1, createdAt: at, createdBy: 'demo', updatedAt: at,
        });
      });
    });
    return rows;
  }

  /** Quota and urgent requests through the requests use case, so quotas, ranks and deadlines are the real ones. */
  private async requests(manager: EntityManager, ctx: DemoContext, patients: Map<string, { pseudonym: string; weightKg: number }[]>, plan: Plan): Promise<void> {
    const requests = this.service(InitiationRequestsService);
    const submit = async (centre: number, patient: number, indication: string, justification: string, when: Date) => {
      const finess = ctx.centres[centre];
      const p = finess === undefined ? undefined : patients.get(finess)?.[patient];
      const actor = finess === undefined ? null : await this.actorOf(manager, `prescriber-${finess}`);
      if (!p || !actor) return null;
      try {
        return await requests.submitIn(manager, actor, { medicine: DEMONSTRAMAB, indication, patient: p.pseudonym, justification, weightKg: p.weightKg }, when);
      } catch (error: unknown) {
        if (error instanceof DomainError && error.status < 500) {
          this.logger.warn(`live demo request left out: ${error.code}`);
          return null;
        }
        throw error;
      }
    };
    const hoursAgo = (h: number): Date => new Date(ctx.now.getTime() - h * HOUR);
    // Quota requests belong to this month's quotas: on the first days of a month they are squeezed in since midnight.
    const start = periodStart(plan.current).getTime();
    const thisMonth = (h: number): Date => new Date(Math.max(ctx.now.getTime() - h * HOUR, start + ((ctx.now.getTime() - start) * (200 - h)) / 400));
    // Last month: one quota request granted (so last month's allocation exists too).
    const lastMonth = new Date(`${plan.previous}-10T09:00:00.000Z`);
    await submit(4, 3, DEMONSTRAMAB_QUOTA, 'Rejet chronique confirmé par biopsie (patient fictif).', lastMonth);
    // This month: the first centre asks for three patients (more than its slots: one or more wait), others one each.
    await submit(0, 2, DEMONSTRAMAB_QUOTA, 'Rejet chronique actif, DFG en baisse de 20 % sur six mois (patient fictif).', thisMonth(120));
    await submit(0, 3, DEMONSTRAMAB_QUOTA, 'Rejet chronique sur biopsie, échec des traitements habituels (patient fictif).', thisMonth(96));
    await submit(0, 4, DEMONSTRAMAB_QUOTA, 'Lésions chroniques progressives, protéinurie en hausse (patient fictif).', thisMonth(72));
    await submit(8, 2, DEMONSTRAMAB_QUOTA, 'Rejet chronique, conversion souhaitée (patient fictif).', thisMonth(50));
    await submit(8, 3, DEMONSTRAMAB_QUOTA, 'Rejet chronique, second patient du centre ce mois-ci (patient fictif).', thisMonth(30));
    await submit(5, 2, DEMONSTRAMAB_QUOTA, 'Rejet chronique, créatinine en hausse (patient fictif).', thisMonth(26));
    // Urgent requests for the committee: one past its 48-hour deadline, two within it.
    await submit(10, 2, DEMONSTRAMAB_URGENT, 'Rejet aigu réfractaire, greffon menacé (patient fictif).', hoursAgo(60));
    await submit(3, 2, DEMONSTRAMAB_URGENT, 'Rejet humoral aigu, échec des échanges plasmatiques (patient fictif).', hoursAgo(20));
    await submit(9, 2, DEMONSTRAMAB_URGENT, 'Impasse thérapeutique, greffon menacé à court terme (patient fictif).', hoursAgo(2));
    // One urgent request approved by a member of another establishment: its rationale shows among the decided requests.
    const approvedAt = thisMonth(40);
    const approved = await submit(7, 2, DEMONSTRAMAB_URGENT, 'Rejet aigu cortico-résistant (patient fictif).', approvedAt);
    const member = await this.actorOf(manager, 'committee-1');
    if (approved && member && approved.status === 'pending_review') {
      await this.service(CommitteeService).voteIn(manager, member, approved.id, { decision: 'approve', rationale: 'Urgence documentée, critères de sauvetage remplis (démonstration).' }, new Date((approvedAt.getTime() + ctx.now.getTime()) / 2));
    }
  }

  /** This month's orders, to be decided by the lab: one at the need, one above it (flagged), one within the tolerance. */
  private async orders(manager: EntityManager, ctx: DemoContext, plan: Plan): Promise<void> {
    const orders = this.service(OrdersService);
    for (const [k, centre] of [5, 6, 7].entries()) {
      const establishment = ctx.centres[centre];
      if (establishment === undefined) continue;
      const active = await this.service(TreatmentsService).activePatientsAt(manager, DEMONSTRAMAB, establishment);
      const lines = active.map((patient) => ({ patient }));
      if (lines.length === 0) continue;
      try {
        const { assessment } = await orders.assess(manager, { establishment, medicine: DEMONSTRAMAB, period: plan.current, quantity: 1, lines });
        if (assessment.needVials === 0) continue;
        const quantity = k === 1 ? assessment.needVials + Math.max(3, Math.ceil(assessment.needVials / 4)) : assessment.needVials;
        await orders.submit(manager, { establishment, medicine: DEMONSTRAMAB, period: plan.current, quantity, lines }, `pui-${establishment}`);
      } catch (error: unknown) {
        if (error instanceof DomainError) {
          this.logger.warn(`live demo order left out: ${error.code}`);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Last month's recaps: received from the treating centres but two (missing); one lists a patient
   * stopped before last month, one a patient with no declared treatment, one leaves out an active patient.
   */
  private async recaps(manager: EntityManager, ctx: DemoContext, patients: Map<string, { pseudonym: string; weightKg: number }[]>, treatments: TreatmentEntity[], plan: Plan): Promise<void> {
    const { last } = periodBounds(plan.previous);
    const recaps: DemoRecap[] = [];
    ctx.centres.slice(0, TREATING).forEach((finess, i) => {
      if (RECAP_MISSING.includes(i)) return;
      const listed = treatments.filter((t) => t.establishment === finess && (t.stopDate === null || i === STOPPED_AT));
      const entries = listed.map((t) => {
        const administrations = t.stopDate !== null
          ? [{ vials: Math.ceil((3 * t.weightKg) / 100) }]
          : administrationsInPeriod({ schedule: DEMONSTRAMAB_SCHEDULE, startDate: t.startDate, weightKg: t.weightKg, period: plan.previous });
        return { patient: t.patient, administrations: administrations.length, vials: t.stopDate !== null ? administrations[0]?.vials ?? 0 : vialsNeeded(administrations as never) };
      });
      if (i === OMITTED_AT) entries.pop();
      const undeclared = i === UNDECLARED_AT ? patients.get(finess)?.[4] : undefined;
      if (undeclared) entries.push({ patient: undeclared.pseudonym, administrations: 2, vials: 2 * Math.ceil((3 * undeclared.weightKg) / 100) });
      recaps.push({ establishment: finess, medicine: DEMONSTRAMAB, period: plan.previous, source: i % 2 === 0 ? 'csv' : 'json', submittedAt: `${addDays(last, 1)}T08:00:00.000Z`, submittedBy: `pui-${finess}`, lines: entries });
    });
    await this.service(RecapsService).addDemoRecaps(manager, recaps);
  }

  /** Last month's reconciliation, through the reconciliation use case once the demo data is committed. */
  async reconcile(ctx: DemoContext): Promise<void> {
    try {
      await this.service(ReconciliationService).run(SYSTEM_ACTOR, DEMONSTRAMAB, livePlan(ctx.now).previous);
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(`live demo reconciliation left out: ${error.code}`);
    }
  }

  /**
   * Compassionate-access requests of today at each step, through the access use cases: Qalsody
   * (national meeting) submitted, countersigned, approved by the meeting and authorised; Rezurock
   * submitted and countersigned (awaiting the agency's decision).
   */
  async accessRequests(ctx: DemoContext): Promise<void> {
    const requests = this.service(AccessRequestsService);
    const manager = this.moduleRef.get(DataSource, { strict: false }).manager;
    const patients = await this.extraPatients(manager, ctx);
    const as = async (username: string): Promise<Actor> => {
      const actor = await this.actorOf(manager, username);
      if (!actor) throw new Error(`live demo: no user ${username}`);
      return actor;
    };
    const steps: { medicine: string; indication: string; centre: number; prescriber: string; clinical: Record<string, unknown>; upTo: number }[] = [
      { medicine: 'QALSODY', indication: 'sod1-als', centre: 6, prescriber: 'neurologist', clinical: LIVE_QALSODY_FORM, upTo: 0 },
      { medicine: 'QALSODY', indication: 'sod1-als', centre: 7, prescriber: 'neurologist', clinical: { ...LIVE_QALSODY_FORM, ageYears: 61, alsfrsR: 35 }, upTo: 1 },
      { medicine: 'QALSODY', indication: 'sod1-als', centre: 9, prescriber: 'neurologist', clinical: { ...LIVE_QALSODY_FORM, ageYears: 39, alsfrsR: 42 }, upTo: 2 },
      { medicine: 'QALSODY', indication: 'sod1-als', centre: 11, prescriber: 'neurologist', clinical: { ...LIVE_QALSODY_FORM, ageYears: 57, alsfrsR: 40 }, upTo: 3 },
      { medicine: 'REZUROCK', indication: 'cgvhd', centre: 5, prescriber: 'haematologist', clinical: LIVE_REZUROCK_FORM, upTo: 0 },
      { medicine: 'REZUROCK', indication: 'cgvhd', centre: 8, prescriber: 'haematologist', clinical: { ...LIVE_REZUROCK_FORM, ageYears: 44, weightKg: 77 }, upTo: 1 },
    ];
    for (const step of steps) {
      const finess = ctx.centres[step.centre];
      const patient = finess === undefined ? undefined : patients.get(finess);
      if (finess === undefined || patient === undefined) continue;
      try {
        const request = await requests.submit(await as(`${step.prescriber}-${finess}`), { medicine: step.medicine, indication: step.indication, patient, clinical: step.clinical });
        if (step.upTo < 1) continue;
        await requests.countersign(await as(`pui-${finess}`), request.id, { comment: 'Dossier complet (démonstration).' });
        if (step.upTo < 2) continue;
        if (step.medicine === 'QALSODY') await requests.meeting(await as('als-meeting-1'), request.id, { decision: 'approve', rationale: 'Mutation SOD1 confirmée, progression rapide (démonstration).' });
        if (step.upTo < 3) continue;
        await requests.decide(await as('agency'), request.id, { decision: 'authorise' });
      } catch (error: unknown) {
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
        this.logger.warn(`live demo access request left out: ${error.code}`);
      }
    }
  }

  /** The last extra demo patient of each treating centre (no Démonstramab treatment nor request). */
  private async extraPatients(manager: EntityManager, ctx: DemoContext): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    ctx.centres.slice(0, TREATING).forEach((finess, i) => {
      out.set(finess, pseudonymOf(hashNir(demoNir(finess.slice(0, 2), i, FIRST_EXTRA + EXTRA - 1), this.config.patientIdSecret), this.config.patientIdSecret));
    });
    const known = new Set((await this.service(PatientsService).weightsOf(manager, [...out.values()])).keys());
    for (const [finess, pseudonym] of out) if (!known.has(pseudonym)) out.delete(finess);
    return out;
  }
}

const LIVE_QALSODY_FORM = { sod1MutationConfirmed: true, alsDiagnosis: 'probable', ageYears: 48, alsfrsR: 38, permanentVentilation: false, intrathecalAccessPossible: true, childBearingPotential: false };
const LIVE_REZUROCK_FORM = {
  organScores: [{ organ: 'skin', score: 2 }, { organ: 'mouth', score: 1 }], priorSystemicLines: 3, priorTreatments: ['corticosteroids', 'ruxolitinib'],
  notEligibleForCorticosteroidsOrRuxolitinib: false, weightKg: 68, ageYears: 52, karnofsky: 70, stableCorticosteroidWeeks: 4, childBearingPotential: false,
  pregnancyTest: 'not_applicable', canBeDeferred: false,
};

/** The live shortage demo, on its own line under the app module's feature modules. */
@Module({ providers: [LiveShortageDemo] })
export class LiveShortageDemoModule {}
