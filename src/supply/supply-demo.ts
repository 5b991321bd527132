import { EntityManager } from 'typeorm';
import { addPeriods, dateOf } from '../common/domain/period';
import { newId } from '../common/database/ids';
import { DemoContext } from '../common/contracts/demo-seed-registry';
import type { PoliciesService } from '../medicines/policies.service';
import { SupplyDeclarationEntity } from './entities/supply-declaration.entity';

/** Demo stock: per continuing patient, units on hand, in pharmacies, and expected each month (about 2 months of need on hand). */
const DEMO_UNITS_PER_PATIENT = { stock: 30, pharmacies: 4, monthly: 9 } as const;
const DEMO_EXPECTED_PERIODS = 11;

/**
 * Demo supply declarations (issue 18): for every medicine with a dosing schedule in a policy, the
 * lab's stock on the first day of the demo's current period, scaled on the medicines's continuing
 * treatments, so that the agency's and the lab's projection pages show a chart at once.
 */
export async function seedDemoSupply(manager: EntityManager, ctx: DemoContext, policies: PoliciesService): Promise<void> {
  const medicines = await policies.medicinesWithSchedule(manager);
  const today = dateOf(ctx.now);
  const at = `${today.slice(0, 7)}-01`;
  const rows: SupplyDeclarationEntity[] = [];
  for (const medicine of medicines) {
    // The treatments table is read by name: this module does not import the treatments module's entities.
    const counted = await manager
      .createQueryBuilder()
      .from('treatments', 't')
      .select('COUNT(*)', 'n')
      .where('t.medicine = :medicine', { medicine })
      .andWhere('(t.stop_date IS NULL OR t.stop_date > :at)', { at })
      .getRawOne<{ n: number | string }>();
    const patients = Math.max(10, Number(counted?.n ?? 0));
    rows.push(manager.getRepository(SupplyDeclarationEntity).create({
      id: newId(),
      medicineCode: medicine,
      version: 1,
      at,
      stockUnits: DEMO_UNITS_PER_PATIENT.stock * patients,
      pharmacyStockUnits: DEMO_UNITS_PER_PATIENT.pharmacies * patients,
      expected: Array.from({ length: DEMO_EXPECTED_PERIODS }, (_, i) => ({ period: addPeriods(at.slice(0, 7), i + 1), units: DEMO_UNITS_PER_PATIENT.monthly * patients })),
      declaredAt: ctx.now.toISOString(),
      declaredBy: 'demo',
    }));
  }
  if (rows.length > 0) await manager.getRepository(SupplyDeclarationEntity).insert(rows);
}
