import { BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6 } from '../treatments/domain/dosing-schedule';
import type { PublishPolicyDto } from '../medicines/dto/policy.dto';

export const NULOJIX = 'NULOJIX';

export const DEMO_MEDICINES = [
  {
    code: NULOJIX, name: 'Nulojix 250 mg (bélatacept)', unit: 'vial', unitMg: 250, scheme: 'rationing',
    indications: [
      { code: 'kidney-transplant', name: 'Prophylaxie du rejet en transplantation rénale (AMM)' },
      { code: 'pnf-cni', name: '(1) Conversion précoce sur non-fonction primaire potentiellement liée aux anticalcineurines' },
      { code: 'early-dysfunction-cni', name: '(1) Conversion précoce sur dysfonction précoce du greffon liée aux anticalcineurines' },
      { code: 'tma-cni', name: '(2) Microangiopathie thrombotique sous anticalcineurines' },
      { code: 'rescue', name: '(3) Sauvetage en impasse thérapeutique menaçant le greffon ou le patient' },
      { code: 'chronic-dysfunction-cni', name: 'Dysfonction chronique du greffon sur toxicité des anticalcineurines' },
    ],
  },
];

const urgentV4 = [
  { code: 'pnf-cni', kind: 'urgent' as const },
  { code: 'early-dysfunction-cni', kind: 'urgent' as const },
  { code: 'tma-cni', kind: 'urgent' as const },
  { code: 'rescue', kind: 'urgent' as const },
];
const allOpen = ['kidney-transplant', 'pnf-cni', 'early-dysfunction-cni', 'tma-cni', 'rescue', 'chronic-dysfunction-cni'].map((code) => ({ code, kind: 'open' as const }));

/** The Nulojix timeline of SPEC §3, as policy versions. */
export const NULOJIX_TIMELINE: PublishPolicyDto[] = [
  {
    effectiveFrom: '2017-01-01', mode: 'unrestricted', indications: [{ code: 'kidney-transplant', kind: 'open' }],
    schedule: BELATACEPT_SCHEDULE_5 as unknown as Record<string, unknown>, orderTolerancePct: 0,
    registrationRequired: false, orderJustificationRequired: false,
    notes: 'Every initiation and stop must be declared to the lab.',
  },
  {
    effectiveFrom: '2022-08-01', mode: 'freed-stock',
    indications: [{ code: 'pnf-cni', kind: 'urgent' }, { code: 'tma-cni', kind: 'urgent' }],
    committee: { votesRequired: 1, deadlineHours: 48 }, schedule: BELATACEPT_SCHEDULE_6 as unknown as Record<string, unknown>, orderTolerancePct: 0,
    registrationRequired: true, orderJustificationRequired: true,
    notes: 'Continuations first; initiations only for urgent indications (1) and (2), each reviewed by the committee, up to the capacity freed by stops. Maintenance at 6 mg/kg (new manufacturing process).',
  },
  {
    effectiveFrom: '2023-02-14', mode: 'freed-stock', indications: urgentV4,
    committee: { votesRequired: 1, deadlineHours: 48 }, orderTolerancePct: 0, registrationRequired: true, orderJustificationRequired: true,
    notes: 'Indication (1) widened: primary non-function and early dysfunction; urgent indication (3) rescue; initiations registered on the platform; each order justified by the followed patients and their vial needs.',
  },
  {
    effectiveFrom: '2023-05-09', mode: 'capped', monthlyCap: 50, quotaPool: 20,
    indications: [...urgentV4, { code: 'chronic-dysfunction-cni', kind: 'quota' }],
    committee: { votesRequired: 1, deadlineHours: 48 }, unusedQuota: 'lapse', redistribute: false, orderTolerancePct: 0,
    registrationRequired: true, orderJustificationRequired: true,
    notes: '50 initiations a month: the three urgent indications (committee, priority) and about 20 chronic-dysfunction initiations split between centres by followed patients.',
  },
  {
    effectiveFrom: '2023-10-02', mode: 'unrestricted', indications: allOpen, orderTolerancePct: 0,
    registrationRequired: true, orderJustificationRequired: true,
    notes: 'Restrictions on initiations lifted; declarations, platform registration and order justification kept.',
  },
  {
    effectiveFrom: '2024-01-11', mode: 'unrestricted', indications: allOpen, orderTolerancePct: 0,
    registrationRequired: false, orderJustificationRequired: false,
    notes: 'Lightened: platform registration of initiations and per-order justification end; monthly recap of treated patients to the lab kept, to follow needs and find duplicates.',
  },
];

export { BELATACEPT_SCHEDULE_5, BELATACEPT_SCHEDULE_6 };
