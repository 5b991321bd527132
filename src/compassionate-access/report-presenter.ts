import type { Response } from 'express';
import type { AccessReport } from './access-reports.service';
import { reportToCsv } from './domain/periodic-report';
import { renderReportPage } from './report-page';

/** Content negotiation of the report (SPEC §11): `text/csv` for CSV, `text/html` for the printable page, JSON otherwise. */
export function presentReport(res: Response, accept: string | undefined, report: AccessReport): AccessReport | string {
  const wanted = (accept ?? '').toLowerCase();
  const name = `rapport-${report.medicine}-${report.period.from}-${report.period.to}-gel-${report.period.cutoff}`;
  if (wanted.includes('text/csv')) {
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    return reportToCsv(report);
  }
  if (wanted.includes('text/html')) {
    res.type('text/html; charset=utf-8');
    return renderReportPage(report);
  }
  return report;
}
