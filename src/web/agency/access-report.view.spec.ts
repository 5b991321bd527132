import { buildPeriodicReport, type ReportRequestInput } from '../../compassionate-access/domain/periodic-report';
import type { AccessReport } from '../../compassionate-access/access-reports.service';
import { Translator } from '../i18n/translator';
import { accessReportSections } from './access-report.view';

/**
 * The printable report's categorical rows as the seed prints them (seeds/000 Rezurock report n°1, Tableau 10):
 * "Sécheresse oculaire - M3 Manquant 2 / Absent 2 (66.7%) / Très intense 1 (33.3%)" — the missing count on the
 * variable's first line without a percentage, the values' percentages over the known ones.
 */
describe('access report page: missing values apart', () => {
  const req = (id: string, patient: string, clinical: Record<string, unknown>): ReportRequestInput => ({
    id, patient, establishment: 'E1', prescriber: 'dr1', submittedOn: '2023-10-02', decision: { on: '2023-10-05', decision: 'authorise' }, clinical,
  });

  it('prints "Manquant 2" first, then "Non 2 (66,7 %)" and "Oui 1 (33,3 %)" over the 3 known values, not over 5', () => {
    const built = buildPeriodicReport(
      {
        requests: [
          req('a', 'P1', { concomitantProtonPumpInhibitor: true }),
          req('b', 'P2', { concomitantProtonPumpInhibitor: false }),
          req('c', 'P3', { concomitantProtonPumpInhibitor: false }),
          req('d', 'P4', { concomitantStrongCyp3aInducer: false }),
          req('e', 'P5', { concomitantStrongCyp3aInducer: false }),
        ],
        forms: [],
        establishments: [{ finess: 'E1', region: 'Bretagne', category: 'CHU' }],
        firstAuthorisations: [],
      },
      { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25', protocolFrom: '2023-09-26' },
    );
    if (!built.ok) throw new Error('report not built');
    const report: AccessReport = { ...built.value, medicine: 'REZUROCK', medicineName: 'Rezurock', scheme: 'belumosudil' };
    const tr = new Translator('fr');
    const table6 = accessReportSections(report, tr.t, 'fr').flatMap((s) => s.tables).find((x) => x.id === 'tableau-6');
    const ppi = table6?.rows.filter((r) => r.group === tr.t('accessReport.var.protonPumpInhibitor')).map((r) => r.cells.slice(1));
    expect(ppi?.[0]).toEqual([tr.t('accessReport.missing'), '2']);
    expect(ppi?.slice(1).map((c) => c[1])).toEqual(['2 (66,7 %)', '1 (33,3 %)']);
    // the variable's name stands on the missing line, as in the seed
    expect(table6?.rows.find((r) => r.group === tr.t('accessReport.var.protonPumpInhibitor'))?.cells[0]).toBe(tr.t('accessReport.var.protonPumpInhibitor'));
  });

  it('prints Tableaux 9 and 10 after the conditions of use, as the seed: "Atteintes cliniques : Buccale - M3", "Sécheresse oculaire - M3 Manquant 1 / Très intense 1 (100,0 %)"', () => {
    const m3 = (patient: string, data: Record<string, unknown>) => ({ patient, kind: 'follow-up' as const, due: 'M3', date: '2024-01-08', administered: true, reason: null, data });
    const built = buildPeriodicReport(
      {
        requests: [req('a', 'P1', {}), req('b', 'P2', {})],
        forms: [
          m3('P1', { organResponses: [{ organ: 'mouth', response: 'improvement' }, { organ: 'other', name: 'articulaire', response: 'stabilisation' }], leeSymptoms: [{ item: 'dry_eyes', severity: 'very_severe' }] }),
          m3('P2', { organResponses: [{ organ: 'mouth', response: 'not_applicable' }], leeSymptoms: [{ item: 'rashes', severity: 'severe' }] }),
        ],
        establishments: [{ finess: 'E1', region: 'Bretagne', category: 'CHU' }],
      },
      { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25' },
    );
    if (!built.ok) throw new Error('report not built');
    const tr = new Translator('fr');
    const sections = accessReportSections({ ...built.value, medicine: 'REZUROCK', medicineName: 'Rezurock', scheme: 'belumosudil' }, tr.t, 'fr');
    const ids = sections.flatMap((s) => s.tables.map((x) => x.id));
    expect(ids.indexOf('tableau-9')).toBeGreaterThan(ids.indexOf('arrets'));
    expect(ids.indexOf('tableau-10')).toBe(ids.indexOf('tableau-9') + 1);
    expect(ids.indexOf('tableau-11')).toBe(ids.indexOf('tableau-10') + 1);
    const t9 = sections.flatMap((s) => s.tables).find((x) => x.id === 'tableau-9');
    expect(t9?.caption).toBe('Tableau 9 : Évaluation des atteintes cliniques - Patients exposés avec au moins une fiche de suivi');
    expect(t9?.head).toEqual(['Variables', '', 'Total (N=2)']);
    expect(t9?.rows.filter((r) => r.group === 'Atteintes cliniques : Buccale - M3').map((r) => r.cells)).toEqual([
      ['Atteintes cliniques : Buccale - M3', 'NA', '1 (50,0 %)'],
      ['', 'Amélioration', '1 (50,0 %)'],
    ]);
    expect(t9?.rows.filter((r) => r.group === 'Atteintes cliniques : Autre - M3').map((r) => r.cells.slice(1))).toEqual([['Manquant', '1'], ['ARTICULAIRE', '1 (100,0 %)']]);
    expect(t9?.rows.filter((r) => r.group === 'Atteintes cliniques : Autre (ARTICULAIRE) - M3').map((r) => r.cells.slice(1))).toEqual([['Manquant', '1'], ['Stabilisation', '1 (100,0 %)']]);
    const t10 = sections.flatMap((s) => s.tables).find((x) => x.id === 'tableau-10');
    expect(t10?.head).toEqual(['Dimensions', 'Variables', '', 'Total (N=2)']);
    expect(t10?.rows.filter((r) => r.group === 'Sécheresse oculaire - M3').map((r) => r.cells)).toEqual([
      ['YEUX ET BOUCHE', 'Sécheresse oculaire - M3', 'Manquant', '1'],
      ['', '', 'Très intense', '1 (100,0 %)'],
    ]);
    expect(t10?.rows[0]?.cells.slice(0, 2)).toEqual(['PEAU', 'Coloration anormale de la peau - M3']);
    expect(t10?.rows.filter((r) => r.group === 'Eruptions cutanées - M3').map((r) => r.cells.slice(2))).toEqual([['Manquant', '1'], ['Intense', '1 (100,0 %)']]);
  });

  it('lists in Tableau 5 the included patients whose prior lines lack corticosteroids or ruxolitinib ("022-002 RUXOLITINIB METHOTREXATE")', () => {
    const built = buildPeriodicReport(
      { requests: [req('a', 'P1', { priorTreatments: ['corticosteroids', 'ruxolitinib'] }), req('b', 'P2', { priorTreatments: ['ruxolitinib', 'methotrexate'] })], forms: [], establishments: [] },
      { from: '2023-09-26', to: '2024-03-25', cutoff: '2024-03-25' },
    );
    if (!built.ok) throw new Error('report not built');
    expect(built.value.priorLinesListing).toEqual([{ patient: 'P2', lines: ['ruxolitinib', 'methotrexate'] }]);
    const tr = new Translator('fr');
    const tables = accessReportSections({ ...built.value, medicine: 'REZUROCK', medicineName: 'Rezurock', scheme: 'belumosudil' }, tr.t, 'fr').flatMap((x) => x.tables);
    const t5 = tables.find((x) => x.id === 'tableau-5');
    expect(t5?.head).toEqual(['N° Patient', '1ère ligne de traitement systémique', '2ème ligne de traitement']);
    expect(t5?.rows.map((r) => r.cells)).toEqual([['P2', 'RUXOLITINIB', 'MÉTHOTREXATE']]);
    expect(tables.map((x) => x.id).slice(0, 5)).toEqual(['tableau-1', 'tableau-2', 'tableau-4', 'tableau-5', 'tableau-7']);
  });
});
