import type { ClinicalFormSpec } from './clinical-form';
import { percentOf, type CategoryCounts } from './report-statistics';

/**
 * The efficacy and quality-of-life tables of the Rezurock periodic report n°1 (seeds/000 §2c and §2d), computed
 * from the follow-up forms of the exposed patients:
 * - Tableau 9 "Évaluation des atteintes cliniques - Patients exposés avec au moins une fiche de suivi": per visit
 *   (M3, M6, …) and organ, the evolution of the involvement ("NA", "Disparition", "Amélioration", "Stabilisation"),
 *   and an "Autre" organ named by the prescriber ("Atteintes cliniques : Autre - M3 … ARTICULAIRE 1 (100%)");
 * - Tableau 10 "Données de qualité de vie": the 30 items of the cGVHD symptom scale (Lee), by dimension
 *   ("PEAU", "YEUX ET BOUCHE", …), each "Absent", "Léger", "Modéré", "Intense" or "Très intense".
 * Counts over the population with percentages over the known answers, the missing first without one
 * ("Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%) / Très intense 1 (33.3%)"); values never given are left out.
 */

/** The organs of Tableau 9 in the seed's order: Buccale, Cutanée, Gastro-intestinale, Génitale, Hépatique, Musculosquelettique, Oculaire, Phanères, Pulmonaire, Autre. */
export const ORGANS = ['mouth', 'skin', 'gi', 'genital', 'liver', 'joints', 'eyes', 'skin_appendages', 'lungs', 'other'] as const;
export type Organ = (typeof ORGANS)[number];

/** The evolution of an organ's involvement since the start; `not_applicable` ("NA") for an organ not involved. */
export const ORGAN_RESPONSES = ['not_applicable', 'disappearance', 'improvement', 'stabilisation', 'worsening'] as const;

/** Severity of a symptom on the Lee cGVHD symptom scale: "Absent", "Léger", "Modéré", "Intense", "Très intense". */
export const SYMPTOM_SEVERITIES = ['absent', 'mild', 'moderate', 'severe', 'very_severe'] as const;

/** The 30 items of Tableau 10 by dimension, in the seed's order. */
export const LEE_DIMENSIONS = [
  { dimension: 'skin', items: ['abnormal_skin_colour', 'rashes', 'skin_thickening', 'skin_sores', 'itchy_skin'] },
  { dimension: 'eyes_mouth', items: ['dry_eyes', 'eye_drops', 'blurred_vision', 'food_avoidance_mouth_pain'] },
  { dimension: 'breathing', items: ['mouth_ulcers', 'tube_feeding', 'frequent_cough', 'coloured_sputum', 'breathless_exercise', 'breathless_rest', 'oxygen'] },
  { dimension: 'eating_digestion', items: ['swallowing_solids', 'swallowing_liquids', 'vomiting', 'weight_loss'] },
  { dimension: 'muscles_joints', items: ['joint_muscle_aches', 'limited_joint_movement', 'muscle_cramps', 'weak_muscles'] },
  { dimension: 'energy', items: ['loss_of_energy', 'need_sleep', 'fevers'] },
  { dimension: 'mental_emotional', items: ['depression', 'anxiety', 'difficulty_sleeping'] },
] as const;
export const LEE_ITEMS: readonly string[] = LEE_DIMENSIONS.flatMap((d) => d.items);

/** The follow-up form's fields of Tableaux 9 and 10 (the cGVHD scheme's follow-up form adds them to FOLLOW_UP_DATA_FORM). */
export const CGVHD_FOLLOW_UP_FIELDS: ClinicalFormSpec = {
  /** Tableau 9: each organ's evolution; the organ `other` is named in `name` (e.g. ARTICULAIRE). */
  organResponses: {
    kind: 'list',
    item: { organ: { kind: 'enum', values: ORGANS }, response: { kind: 'enum', values: ORGAN_RESPONSES }, name: { kind: 'text', maxLength: 100 } },
    uniqueBy: 'organ',
    optional: ['name'],
  },
  /** Tableau 10: the symptom scale, one answer an item. */
  leeSymptoms: {
    kind: 'list',
    item: { item: { kind: 'enum', values: LEE_ITEMS }, severity: { kind: 'enum', values: SYMPTOM_SEVERITIES } },
    uniqueBy: 'item',
  },
};

export interface EfficacyRow {
  organ: Organ;
  /** For the organ `other`: the organ named, its row counting the evolution; absent on the row counting the names. */
  name?: string;
  counts: CategoryCounts;
}

export interface QualityOfLifeRow {
  dimension: string;
  item: string;
  counts: CategoryCounts;
}

/** Tableaux 9 and 10: per visit, over the exposed patients with at least one follow-up form. */
export interface EfficacyTables {
  population: number;
  /** Tableau 9, or null when no form carries `organResponses`. */
  clinicalResponse: { visit: string; rows: EfficacyRow[] }[] | null;
  /** Tableau 10, or null when no form carries `leeSymptoms`. */
  qualityOfLife: { visit: string; rows: QualityOfLifeRow[] }[] | null;
}

/**
 * Counts over `population` answers of which `tally` holds the known ones: the missing first and without a
 * percentage, then the values in `order` (others after, in code-unit order), a value never given left out,
 * percentages over the known answers to one decimal (as countCategories).
 */
export function countsOfTally(tally: ReadonlyMap<string, number>, population: number, order: readonly string[]): CategoryCounts {
  let known = 0;
  for (const n of tally.values()) known += n;
  const out: CategoryCounts = {};
  if (population > known) out.missing = { n: population - known, percent: null };
  const rest = [...tally.keys()].filter((k) => !order.includes(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const value of [...order, ...rest]) {
    const n = tally.get(value) ?? 0;
    if (n > 0) out[value] = { n, percent: percentOf(n, known) };
  }
  return out;
}

const visitMonths = (visit: string): number => Number(visit.slice(1));

function bump(map: Map<string, Map<string, number>>, key: string, value: string): void {
  let tally = map.get(key);
  if (tally === undefined) map.set(key, (tally = new Map<string, number>()));
  tally.set(value, (tally.get(value) ?? 0) + 1);
}

const OTHER_NAMES = 'other';
const otherKey = (name: string): string => `other:${name}`;

/**
 * Tallies of Tableaux 9 and 10, one follow-up form at a time (the report streams the forms): memory grows with
 * the distinct visits and answers, not with the forms. The caller adds each patient's form of a visit once.
 */
export class EfficacyTally {
  private readonly organs = new Map<string, Map<string, Map<string, number>>>();
  private readonly symptoms = new Map<string, Map<string, Map<string, number>>>();

  /** Adds the answers of one follow-up form at `visit` (`M3`, …); forms without the fields add nothing. */
  add(visit: string, data: Readonly<Record<string, unknown>> | null | undefined): void {
    if (data === null || data === undefined) return;
    const responses = data.organResponses;
    if (Array.isArray(responses)) {
      let visitTally = this.organs.get(visit);
      if (visitTally === undefined) this.organs.set(visit, (visitTally = new Map<string, Map<string, number>>()));
      for (const r of responses as { organ?: unknown; response?: unknown; name?: unknown }[]) {
        if (typeof r?.organ !== 'string' || typeof r.response !== 'string') continue;
        if (r.organ === 'other') {
          const name = typeof r.name === 'string' && r.name.trim() !== '' ? r.name.trim().toUpperCase() : null;
          if (name === null) continue;
          bump(visitTally, OTHER_NAMES, name);
          bump(visitTally, otherKey(name), r.response);
        } else bump(visitTally, r.organ, r.response);
      }
    }
    const symptoms = data.leeSymptoms;
    if (Array.isArray(symptoms)) {
      let visitTally = this.symptoms.get(visit);
      if (visitTally === undefined) this.symptoms.set(visit, (visitTally = new Map<string, Map<string, number>>()));
      for (const s of symptoms as { item?: unknown; severity?: unknown }[]) {
        if (typeof s?.item === 'string' && typeof s.severity === 'string') bump(visitTally, s.item, s.severity);
      }
    }
  }

  /** The tables over `population` patients, visits in time order. */
  tables(population: number): EfficacyTables {
    const visits = (m: Map<string, unknown>): string[] => [...m.keys()].sort((a, b) => visitMonths(a) - visitMonths(b));
    const none = new Map<string, number>();
    const clinicalResponse = this.organs.size === 0 ? null : visits(this.organs).map((visit) => {
      const tally = this.organs.get(visit) as Map<string, Map<string, number>>;
      const rows: EfficacyRow[] = ORGANS.filter((o) => o !== 'other').map((organ) => ({ organ, counts: countsOfTally(tally.get(organ) ?? none, population, ORGAN_RESPONSES) }));
      const names = tally.get(OTHER_NAMES) ?? none;
      rows.push({ organ: 'other', counts: countsOfTally(names, population, []) });
      for (const name of Object.keys(countsOfTally(names, population, [])).filter((k) => k !== 'missing')) {
        rows.push({ organ: 'other', name, counts: countsOfTally(tally.get(otherKey(name)) ?? none, population, ORGAN_RESPONSES) });
      }
      return { visit, rows };
    });
    const qualityOfLife = this.symptoms.size === 0 ? null : visits(this.symptoms).map((visit) => {
      const tally = this.symptoms.get(visit) as Map<string, Map<string, number>>;
      return {
        visit,
        rows: LEE_DIMENSIONS.flatMap((d) => d.items.map((item) => ({ dimension: d.dimension, item, counts: countsOfTally(tally.get(item) ?? none, population, SYMPTOM_SEVERITIES) }))),
      };
    });
    return { population, clinicalResponse, qualityOfLife };
  }
}
