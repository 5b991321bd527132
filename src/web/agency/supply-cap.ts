import type { SustainableCap } from '../../supply/supply.service';

export interface SupplyCapView {
  sustainable: SustainableCap | null;
  /** Published versions in force today or later whose monthly cap exceeds what the stock sustains. */
  exceeded: { version: number; monthlyCap: number }[];
}

/** What the policy form shows beside `monthlyCap` (issue 18): the cap the stock sustains, and a warning per published cap above it. */
export function supplyCapView(sustainable: SustainableCap | null, versions: readonly { version: number; effectiveFrom: string; monthlyCap: number | null }[], inForce: number | null): SupplyCapView {
  const cap = sustainable?.sustainableMonthlyInitiations ?? null;
  if (cap === null) return { sustainable, exceeded: [] };
  const exceeded = versions
    .filter((v) => (inForce === null || v.version >= inForce) && v.monthlyCap !== null && v.monthlyCap > cap)
    .map((v) => ({ version: v.version, monthlyCap: v.monthlyCap as number }))
    .sort((a, b) => a.version - b.version);
  return { sustainable, exceeded };
}
