import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../common/database/ids';
import { addPeriods, periodOf } from '../common/domain/period';
import { loadRationingScheme } from '../schemes/scheme-config';
import { DemoContext, DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { insertChunks } from '../common/database/insert-chunks';
import { PatientsService } from '../patients/patients.service';
import { recapDeadline } from '../reconciliation/domain/reconcile';
import { RecapLineEntity } from './entities/recap-line.entity';
import { RecapEntity } from './entities/recap.entity';

/** The demo's recaps are Nulojix ones (config/nulojix.yaml). */
const NULOJIX = loadRationingScheme('nulojix').medicine.code;
/** Demo recap periods: the three before the demo's current one. */
const DEMO_RECAP_PERIODS = 3;
/** Belatacept maintenance: 6 mg/kg a month, 250 mg vials (SPEC §6). */
const DOSE_MG_PER_KG = 6;
const UNIT_MG = 250;
const PATIENTS_IN_RECAP = 4;

/**
 * Demo recaps (step 40): Nulojix recaps for the previous periods from most centres, each listing
 * the first patients the centre registered; every seventh centre sent none for the last period,
 * so the missing-recap report and RECAP_MISSING have something to show.
 */
@Injectable()
export class RecapsDemo {
  constructor(registry: DemoSeedRegistry, patients: PatientsService) {
    // createApp seeds the demo data before app.init(), so before any onModuleInit: register the step here.
    registry.register('recaps', 40, (manager, context) => seedDemoRecaps(manager, context, patients));
  }
}

export async function seedDemoRecaps(manager: EntityManager, context: DemoContext, patients: PatientsService): Promise<void> {
  const current = periodOf(context.now);
  const periods = Array.from({ length: DEMO_RECAP_PERIODS }, (_, i) => addPeriods(current, i - DEMO_RECAP_PERIODS));
  const lastPeriod = periods[periods.length - 1];
  const pseudonyms = [...context.patientsByCentre.values()].flatMap((list) => list.slice(0, PATIENTS_IN_RECAP));
  const weights = await patients.weightsOf(manager, pseudonyms);
  const recaps: RecapEntity[] = [];
  const lines: RecapLineEntity[] = [];
  context.centres.forEach((finess, index) => {
    const patients = (context.patientsByCentre.get(finess) ?? []).slice(0, PATIENTS_IN_RECAP);
    if (patients.length === 0) return;
    for (const period of periods) {
      if (period === lastPeriod && index % 7 === 3) continue;
      const recap: RecapEntity = {
        id: newId(), establishment: finess, medicine: NULOJIX, period, lines: patients.length, administrations: 0, vials: 0,
        source: index % 2 === 0 ? 'csv' : 'json', late: false, submittedAt: `${recapDeadline(period, 5)}T08:00:00.000Z`, submittedBy: `pui-${finess}`,
      };
      patients.forEach((patient, i) => {
        const vials = Math.ceil((DOSE_MG_PER_KG * (weights.get(patient) ?? 70)) / UNIT_MG);
        lines.push({ recapId: recap.id, patient, line: i + 2, administrations: 1, administrationDates: null, vials });
        recap.administrations += 1;
        recap.vials += vials;
      });
      recaps.push(recap);
    }
  });
  await insertChunks(manager, RecapEntity, recaps);
  await insertChunks(manager, RecapLineEntity, lines);
}
