import { EntityManager } from 'typeorm';
import { dateOf } from '../common/domain/period';
import { DemoContext } from '../common/contracts/demo-seed-registry';
import { insertChunks } from '../common/database/insert-chunks';
import { versionInForce } from '../medicines/domain/policy-rules';
import { PoliciesService } from '../medicines/policies.service';
import { PatientsService } from '../patients/patients.service';
import { StopReason } from './domain/treatment-state';
import { TreatmentEntity } from './entities/treatment.entity';

export const DEMO_MEDICINE = 'NULOJIX';
export const DEMO_TREATED_PER_CENTRE = 4;

/**
 * Demo treatments (SPEC §12): the first four demo patients of every centre on Nulojix, started on
 * deterministic dates from 2021-01 to 2022-07 (the unrestricted 2017 version, kidney-transplant
 * indication open); at every tenth centre a fifth patient whose treatment was stopped in 2022
 * (dates after the demo's "now" are left out).
 */
export async function seedDemoTreatments(manager: EntityManager, ctx: DemoContext, services: { patients: PatientsService; policies: PoliciesService }): Promise<void> {
  const pseudonyms = [...ctx.patientsByCentre.values()].flat();
  const weights = await services.patients.weightsOf(manager, pseudonyms);
  const policies = await services.policies.versions(DEMO_MEDICINE, manager);
  const at = ctx.now.toISOString();
  const today = dateOf(ctx.now);
  const rows: TreatmentEntity[] = [];
  ctx.centres.forEach((finess, i) => {
    const patients = ctx.patientsByCentre.get(finess) ?? [];
    patients.forEach((patient, j) => {
      const stopped = j === DEMO_TREATED_PER_CENTRE && i % 10 === 1;
      if (j >= DEMO_TREATED_PER_CENTRE && !stopped) return;
      const year = 2021 + ((i + j) % 2);
      const month = 1 + ((i * 5 + j * 3) % (year === 2022 ? 7 : 12));
      const startDate = `${year}-${String(month).padStart(2, '0')}-${String(1 + ((i + j * 7) % 28)).padStart(2, '0')}`;
      const policy = versionInForce(policies, startDate);
      const weightKg = weights.get(patient);
      if (!policy || weightKg === undefined || startDate > today) return;
      const stop = stopped ? { stopDate: `2022-${String(3 + (i % 6)).padStart(2, '0')}-15`, stopReason: (i % 20 === 1 ? 'adverse_event' : 'patient_wish') as StopReason } : null;
      const stopDate = stop && stop.stopDate > startDate && stop.stopDate <= today ? stop.stopDate : null;
      rows.push({
        id: demoTreatmentId(i, j),
        patient,
        medicine: DEMO_MEDICINE,
        indication: 'kidney-transplant',
        establishment: finess,
        establishmentSince: startDate,
        status: stopDate ? 'stopped' : 'active',
        startDate,
        weightKg,
        stopDate,
        stopReason: stopDate ? stop!.stopReason : null,
        requestId: null,
        policyVersion: policy.version,
        createdAt: at,
        createdBy: 'demo',
        updatedAt: at,
      });
    });
  });
  await insertChunks(manager, TreatmentEntity, rows);
}

/** Deterministic ids, so that demo data is the same on every load. */
function demoTreatmentId(centre: number, patient: number): string {
  return `00000000-0000-4000-8000-${String(centre * 100 + patient).padStart(12, '0')}`;
}
