import { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain/domain-error';
import { periodOf } from '../common/domain/period';
import { DemoContext } from '../common/contracts/demo-seed-registry';
import { TreatmentsService } from '../treatments/treatments.service';
import { OrdersService } from './orders.service';

const MEDICINE = 'NULOJIX';

/**
 * Demo orders (SPEC §12) for the demo's current period, so that the lab's list is not empty: two
 * centres near the end of the list (away from the ones tests use most) order for their active
 * demo patients, the first exactly its need, the second one vial above it (flagged).
 */
export async function seedDemoOrders(manager: EntityManager, ctx: DemoContext, orders: OrdersService, treatments: TreatmentsService): Promise<void> {
  const period = periodOf(ctx.now);
  const centres = ctx.centres.slice(-3, -1);
  for (const [k, establishment] of centres.entries()) {
    const lines = (await treatments.activePatientsAt(manager, MEDICINE, establishment)).map((patient) => ({ patient }));
    if (lines.length === 0) continue;
    try {
      const { assessment } = await orders.assess(manager, { establishment, medicine: MEDICINE, period, quantity: 1, lines });
      if (assessment.needVials === 0) continue;
      await orders.submit(manager, { establishment, medicine: MEDICINE, period, quantity: assessment.needVials + k, lines }, `pui-${establishment}`);
    } catch (error: unknown) {
      // A demo "now" outside any policy leaves the demo without orders, nothing else.
      if (error instanceof DomainError) continue;
      throw error;
    }
  }
}
