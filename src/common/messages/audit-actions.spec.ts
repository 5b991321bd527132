import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFiles } from '../../../test/support/source-files';
import { ORDER_STATUSES } from '../../orders/dto/order.response';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel } from './audit-actions';

const SRC = join(__dirname, '..', '..');

/** The values a computed action (`order.${status}`) ranges over: a new computed prefix fails the walk until listed here. */
const COMPUTED: Record<string, readonly string[]> = {
  order: ORDER_STATUSES,
  'access-request': ['authorised', 'refused', 'excluded'],
};

/** Every audit action the code records: `action: '…'` (either branch of a ternary), `step(actor, id, '…'`, and computed ones. */
function recordedActions(): { actions: string[]; computedPrefixes: string[]; entities: string[] } {
  const actions = new Set<string>();
  const prefixes = new Set<string>();
  const entities = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    if (file.includes(`${join('src', 'web')}`)) continue; // pages hold i18n keys, not audit actions
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/\baction: |this\.step\(/.test(line)) {
        for (const m of line.matchAll(/'([a-z][a-z-]*(?:\.[a-z][a-z-]*)+)'/g)) actions.add(m[1] ?? '');
        for (const m of line.matchAll(/`([a-z][a-z-]*)\.\$\{/g)) prefixes.add(m[1] ?? '');
      }
      for (const m of line.matchAll(/\bentity: '([a-z][a-z_-]+)'/g)) entities.add(m[1] ?? '');
    }
  }
  for (const prefix of prefixes) for (const value of COMPUTED[prefix] ?? []) actions.add(`${prefix}.${value}`);
  return { actions: [...actions].sort(), computedPrefixes: [...prefixes].sort(), entities: [...entities].sort() };
}

describe('audit action labels (issue 17)', () => {
  const walked = recordedActions();

  it('walks the actions of every module, computed ones included', () => {
    expect(walked.actions.length).toBeGreaterThan(40);
    expect(walked.actions).toEqual(expect.arrayContaining(['recap.replaced', 'treatment.stopped', 'order.reduced', 'access-request.authorised']));
    expect(walked.computedPrefixes.sort()).toEqual(Object.keys(COMPUTED).sort());
  });

  it.each(recordedActions().actions)('%s has a French and an English label', (action) => {
    const label = AUDIT_ACTION_LABELS[action];
    expect(label?.fr).toEqual(expect.stringMatching(/\S/));
    expect(label?.en).toEqual(expect.stringMatching(/\S/));
    expect(label?.fr).not.toContain(action);
  });

  it('labels every audited entity in both languages', () => {
    for (const entity of walked.entities) expect([entity, AUDIT_ENTITY_LABELS[entity]?.fr, AUDIT_ENTITY_LABELS[entity]?.en]).toEqual([entity, expect.any(String), expect.any(String)]);
  });

  it('never shows the raw code, even for an action without a label', () => {
    expect(auditActionLabel('recap.replaced', 'fr')).toBe('Récapitulatif mensuel remplacé');
    expect(auditActionLabel('something.new', 'fr')).not.toContain('something');
  });
});
