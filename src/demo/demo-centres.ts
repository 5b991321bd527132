import { loadCentres } from '../schemes/scheme-config';

/**
 * Transplant centres of the demo (SPEC §12). Names and cities are those of real French kidney
 * transplant centres; FINESS numbers are FICTITIOUS (body `<dept>99…`, valid Luhn key) and the
 * followed-patient counts are illustrative, summing to 42,600 (people living with a functioning
 * kidney graft in France at the end of 2023).
 */
export interface DemoCentre {
  body: string;
  name: string;
  city: string;
  region: string;
  category: 'CHU' | 'CHG' | 'ESPIC';
  followedPatients: number;
  transplantCentre: boolean;
}

/** The demo centres are data: config/centres.yaml, each checked like `POST /establishments`. */
export const DEMO_CENTRES: DemoCentre[] = loadCentres();

/**
 * A demo centre's followed-patient counts as the demo declares them: the 2022 count, then a slow
 * drift each January (−1 % to +3 % a year, by centre). The seeder loads these; the replay uses them.
 */
export function followedPatientsHistory(centre: DemoCentre, index: number): { period: string; count: number }[] {
  const drift = centre.followedPatients === 0 ? 0 : Math.round(centre.followedPatients * (((index % 5) - 1) / 100));
  return [
    { period: '2022-01', count: centre.followedPatients },
    { period: '2023-01', count: centre.followedPatients + drift },
    { period: '2024-01', count: centre.followedPatients + 2 * drift },
  ];
}
