import { TreatmentRecord, viewOfTreatment } from './treatment-view';

const record: TreatmentRecord = {
  id: 't1',
  patient: 'P-AAAAAAAAAA',
  medicine: 'NULOJIX',
  indication: 'kidney-transplant',
  requestId: null,
  policyVersion: 5,
  status: 'stopped',
  establishment: 'C',
  establishmentSince: '2023-11-20',
  startDate: '2023-10-05',
  weightKg: 80,
  stopDate: '2023-12-01',
  stopReason: 'adverse_event',
  transfers: [
    { date: '2023-11-10', from: 'A', to: 'B' },
    { date: '2023-11-20', from: 'B', to: 'C' },
  ],
};

describe('viewOfTreatment', () => {
  it('shows the whole history to the lab and the agency', () => {
    expect(viewOfTreatment(record, null)).toMatchObject({ status: 'stopped', establishment: 'C', stopReason: 'adverse_event', transfers: record.transfers });
  });
  it('shows the whole history to the establishment that holds the treatment now', () => {
    expect(viewOfTreatment(record, 'C')).toMatchObject({ status: 'stopped', establishment: 'C', stopDate: '2023-12-01', transferredOn: null });
  });
  it('shows a former holder its part only: transferred, where to and when, nothing after', () => {
    expect(viewOfTreatment(record, 'A')).toMatchObject({
      status: 'transferred', establishment: 'B', transferredOn: '2023-11-10', stopDate: null, stopReason: null, transfers: [record.transfers[0]],
    });
    expect(viewOfTreatment(record, 'B')).toMatchObject({ status: 'transferred', establishment: 'C', transferredOn: '2023-11-20', transfers: record.transfers });
  });
  it('hides the treatment from an establishment that never held it', () => {
    expect(viewOfTreatment(record, 'D')).toBeNull();
  });
  it('treats an establishment that got the treatment back as its holder', () => {
    const back = { ...record, status: 'active' as const, establishment: 'A', stopDate: null, stopReason: null, transfers: [...record.transfers, { date: '2023-11-25', from: 'C', to: 'A' }] };
    expect(viewOfTreatment(back, 'A')).toMatchObject({ status: 'active', establishment: 'A', transfers: back.transfers });
  });
});
