import type { AccessReport } from './access-reports.service';
import type { NumericSummary } from './domain/report-statistics';

const STOP_LABELS: Record<string, string> = {
  progression: 'Progression',
  adverse_event: 'Effet indésirable',
  death: 'Décès',
  patient_wish: 'Souhait du patient',
  transfer: 'Transfert',
  other: 'Autre',
  total: 'Total',
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** French number format: decimal comma, an empty dash for a missing value. */
function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
  return String(rounded).replace('.', ',');
}

const pct = (value: number | null): string => (value === null ? '—' : `${num(value, 1)} %`);

function table(caption: string, head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th scope="col">${escape(h)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">Aucune donnée</td></tr>` : rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('');
  return `<table><caption>${escape(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function variableRow(name: string, s: NumericSummary): string[] {
  return [
    name,
    String(s.n),
    `${num(s.mean)} ± ${num(s.sd)}`,
    num(s.median),
    `${num(s.q1)} ; ${num(s.q3)}`,
    `${num(s.min)} ; ${num(s.max)}`,
    String(s.missing),
  ];
}

function groups(title: string, g: AccessReport['prescribers']): string {
  const rows = [
    ...Object.entries(g.byRegion).map(([k, v]) => ['Région', k, String(v)]),
    ...Object.entries(g.byCategory).map(([k, v]) => ['Catégorie', k, String(v)]),
    ['Total', '', String(g.total)],
  ];
  return table(title, ['Regroupement', 'Valeur', 'Nombre'], rows);
}

/**
 * The periodic report as a printable page (SPEC §9 "a printable page"): plain server-rendered HTML, French labels,
 * a print stylesheet (A4, no navigation, tables kept whole).
 */
export function renderReportPage(report: AccessReport): string {
  const r = report;
  const sections = [
    table('Demandes', ['Reçues', 'Acceptées', 'Refusées', 'Exclues', 'En attente à la date de gel', 'Reprises (changement de médicament)'], [
      [r.requests.received, r.requests.accepted, r.requests.refused, r.requests.excluded, r.requests.pending, r.requests.carriedOver].map(String),
    ]),
    table('Patients', ['Inclus', 'Exposés', 'Suivi médian des exposés (mois)'], [[String(r.patients.included), String(r.patients.exposed), num(r.patients.medianFollowUpMonths)]]),
    table(
      'Fiches de suivi reçues / attendues',
      ['Fiche', 'Reçues', 'Attendues', '%'],
      r.forms.map((f) => [f.form === 'initiation' ? 'Initiation' : f.form, String(f.received), String(f.expected), pct(f.percent)]),
    ),
    table('Variables numériques (à l’inclusion)', ['Variable', 'N', 'Moyenne ± ET', 'Médiane', 'Q1 ; Q3', 'Min ; Max', 'Manquants'], Object.entries(r.variables).map(([k, s]) => variableRow(k, s))),
    table(
      'Variables qualitatives',
      ['Variable', 'Modalité', 'N', '%'],
      Object.entries(r.categories).flatMap(([name, counts]) => Object.entries(counts).map(([value, c]) => [name, value === 'missing' ? 'Manquant' : value, String(c.n), pct(c.percent)])),
    ),
    groups('Prescripteurs par région et catégorie d’établissement', r.prescribers),
    groups('Centres par région et catégorie d’établissement', r.centres),
    table('Arrêts de traitement par motif', ['Motif', 'Nombre'], Object.entries(r.stops).map(([k, v]) => [STOP_LABELS[k] ?? k, String(v)])),
    table('Cas d’effets indésirables', ['Gravité', 'Attendus', 'Inattendus'], [
      ['Graves', String(r.adverseEvents.serious.expected), String(r.adverseEvents.serious.unexpected)],
      ['Non graves', String(r.adverseEvents.nonSerious.expected), String(r.adverseEvents.nonSerious.unexpected)],
      ['Total', String(r.adverseEvents.total), ''],
    ]),
    table(
      `Survie des patients exposés (Kaplan–Meier, ${r.survival.n} patients, ${r.survival.events} décès)`,
      ['Temps (mois)', 'À risque', 'Décès', 'Censurés', 'Survie'],
      r.survival.steps.map((s) => [num(s.time), String(s.atRisk), String(s.events), String(s.censored), num(s.survival, 4)]),
    ),
    `<p>Survie estimée à ${r.survival.at.time} mois : ${r.survival.at.survival === null ? 'non estimable' : num(r.survival.at.survival, 4)}.</p>`,
  ];
  const title = `Rapport périodique — accès compassionnel ${r.medicineName}`;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; margin: 1rem 0; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.no-print { margin: 1rem 0; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { margin: 0; font-size: 10pt; }
  .no-print { display: none; }
  table { page-break-inside: avoid; }
}
</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p>Période du ${escape(r.period.from)} au ${escape(r.period.to)} — date de gel des données : ${escape(r.period.cutoff)}. Patients désignés par pseudonyme uniquement.</p>
<p class="no-print"><button type="button" onclick="window.print()">Imprimer</button></p>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
