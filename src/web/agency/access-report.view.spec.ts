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
});
