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

const raw: [string, string, string, string, DemoCentre['category'], number][] = [
  ['75990001', 'AP-HP Hôpital Necker-Enfants malades', 'Paris', 'Île-de-France', 'CHU', 3400],
  ['75990002', 'AP-HP Hôpital Tenon', 'Paris', 'Île-de-France', 'CHU', 1900],
  ['75990003', 'AP-HP Hôpital Saint-Louis', 'Paris', 'Île-de-France', 'CHU', 1700],
  ['75990004', 'AP-HP Hôpital Européen Georges-Pompidou', 'Paris', 'Île-de-France', 'CHU', 1500],
  ['75990005', 'AP-HP Hôpital Pitié-Salpêtrière', 'Paris', 'Île-de-France', 'CHU', 1600],
  ['94990001', 'AP-HP Hôpital Henri-Mondor', 'Créteil', 'Île-de-France', 'CHU', 1300],
  ['94990002', 'AP-HP Hôpital Bicêtre', 'Le Kremlin-Bicêtre', 'Île-de-France', 'CHU', 1100],
  ['92990001', 'Hôpital Foch', 'Suresnes', 'Île-de-France', 'ESPIC', 1400],
  ['69990001', 'Hospices Civils de Lyon, Hôpital Édouard-Herriot', 'Lyon', 'Auvergne-Rhône-Alpes', 'CHU', 2600],
  ['13990001', 'AP-HM Hôpital de la Conception', 'Marseille', "Provence-Alpes-Côte d'Azur", 'CHU', 1800],
  ['59990001', 'CHU de Lille', 'Lille', 'Hauts-de-France', 'CHU', 1900],
  ['33990001', 'CHU de Bordeaux', 'Bordeaux', 'Nouvelle-Aquitaine', 'CHU', 1700],
  ['31990001', 'CHU de Toulouse', 'Toulouse', 'Occitanie', 'CHU', 1800],
  ['44990001', 'CHU de Nantes', 'Nantes', 'Pays de la Loire', 'CHU', 2400],
  ['67990001', 'Hôpitaux universitaires de Strasbourg', 'Strasbourg', 'Grand Est', 'CHU', 1500],
  ['34990001', 'CHU de Montpellier', 'Montpellier', 'Occitanie', 'CHU', 1200],
  ['06990001', 'CHU de Nice', 'Nice', "Provence-Alpes-Côte d'Azur", 'CHU', 900],
  ['35990001', 'CHU de Rennes', 'Rennes', 'Bretagne', 'CHU', 1300],
  ['38990001', 'CHU Grenoble Alpes', 'Grenoble', 'Auvergne-Rhône-Alpes', 'CHU', 1000],
  ['37990001', 'CHRU de Tours', 'Tours', 'Centre-Val de Loire', 'CHU', 1100],
  ['76990001', 'CHU de Rouen', 'Rouen', 'Normandie', 'CHU', 1000],
  ['54990001', 'CHRU de Nancy', 'Vandœuvre-lès-Nancy', 'Grand Est', 'CHU', 1100],
  ['51990001', 'CHU de Reims', 'Reims', 'Grand Est', 'CHU', 700],
  ['21990001', 'CHU Dijon Bourgogne', 'Dijon', 'Bourgogne-Franche-Comté', 'CHU', 650],
  ['25990001', 'CHU de Besançon', 'Besançon', 'Bourgogne-Franche-Comté', 'CHU', 600],
  ['63990001', 'CHU de Clermont-Ferrand', 'Clermont-Ferrand', 'Auvergne-Rhône-Alpes', 'CHU', 750],
  ['87990001', 'CHU de Limoges', 'Limoges', 'Nouvelle-Aquitaine', 'CHU', 550],
  ['86990001', 'CHU de Poitiers', 'Poitiers', 'Nouvelle-Aquitaine', 'CHU', 600],
  ['29990001', 'CHU de Brest', 'Brest', 'Bretagne', 'CHU', 700],
  ['14990001', 'CHU de Caen Normandie', 'Caen', 'Normandie', 'CHU', 650],
  ['80990001', 'CHU Amiens-Picardie', 'Amiens', 'Hauts-de-France', 'CHU', 600],
  ['49990001', "CHU d'Angers", 'Angers', 'Pays de la Loire', 'CHU', 500],
  ['42990001', 'CHU de Saint-Étienne', 'Saint-Étienne', 'Auvergne-Rhône-Alpes', 'CHU', 450],
  ['97199001', 'CHU de Guadeloupe', 'Pointe-à-Pitre', 'Guadeloupe', 'CHU', 300],
  ['97499001', 'CHU de La Réunion', 'Saint-Denis', 'La Réunion', 'CHU', 350],
  ['2A990001', "Centre hospitalier d'Ajaccio", 'Ajaccio', 'Corse', 'CHG', 0],
];

export const DEMO_CENTRES: DemoCentre[] = raw.map(([body, name, city, region, category, followedPatients]) => ({
  body, name, city, region, category, followedPatients, transplantCentre: followedPatients > 0,
}));

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
