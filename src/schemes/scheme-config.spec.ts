import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DIR, SchemeConfigError, loadAccessScheme, loadCentres, loadRationingScheme, projectRoot } from './scheme-config';

describe('the schemes as data in config/', () => {
  it('finds config/ at the project root from src/ as from dist/', () => {
    const root = projectRoot();
    expect(CONFIG_DIR()).toBe(join(root, 'config'));
    expect(projectRoot(join(root, 'dist', 'demo'))).toBe(root);
  });

  it('loads the shipped files through the publish validation', () => {
    const nulojix = loadRationingScheme('nulojix');
    expect(nulojix.policies.map((p) => p.effectiveFrom)).toEqual(['2017-01-01', '2022-08-01', '2023-02-14', '2023-05-09', '2023-10-02', '2024-01-11']);
    expect(loadAccessScheme('belumosudil').criteriaVersions.map((v) => [v.version, v.effectiveFrom])).toEqual([['belumosudil-2023', '2023-09-26'], ['belumosudil-2025', '2025-09-17']]);
    expect(loadAccessScheme('onc201').medicines.map((m) => m.code)).toEqual(['ONC201', 'DORDAVIPRONE']);
    expect(loadCentres().reduce((s, c) => s + c.followedPatients, 0)).toBe(42_600);
  });

  const broken = (name: string, edit: (text: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'contingent-config-'));
    writeFileSync(join(dir, `${name}.yaml`), edit(readFileSync(join(CONFIG_DIR(), `${name}.yaml`), 'utf8')));
    return dir;
  };

  it('names the file, the path and the reason of a broken policy', () => {
    const dir = broken('nulojix', (t) => t.replace('mode: capped', 'mode: rationed').replace('monthlyCap: 50', 'monthlyCap: fifty'));
    let caught: unknown;
    try {
      loadRationingScheme('nulojix', dir);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchemeConfigError);
    const error = caught as SchemeConfigError;
    expect(error.file).toBe(join(dir, 'nulojix.yaml'));
    expect(error.problems).toEqual(expect.arrayContaining([
      { field: 'policies[3].mode', reason: 'must be unrestricted, freed-stock or capped' },
      { field: 'policies[3].monthlyCap', reason: 'must be an integer' },
    ]));
    expect(error.message).toContain('nulojix.yaml: policies[3].mode: must be unrestricted, freed-stock or capped');
  });

  it('refuses an unknown field, an unknown indication and a JsonLogic rule that does not parse', () => {
    expect(() => loadRationingScheme('nulojix', broken('nulojix', (t) => t.replace('orderTolerancePct: 0', 'orderTolerance: 0')))).toThrow(/policies\[0\]\.orderTolerance: is not a known field/);
    expect(() => loadRationingScheme('nulojix', broken('nulojix', (t) => t.replace('code: tma-cni\n        kind: urgent', 'code: tma\n        kind: urgent')))).toThrow(/policies\[1\]\.indications/);
    expect(() => loadAccessScheme('tofersen', broken('tofersen', (t) => t.replace('- var: sod1MutationConfirmed', '- log: sod1MutationConfirmed')))).toThrow(/tofersen\.yaml: criteriaVersions\[0\]\.criteria\[0\]\.rule/);
    expect(() => loadCentres(broken('centres', (t) => t.replace('body: "75990001"', 'body: "7599"').replace("body: '75990001'", "body: '7599'")))).toThrow(/centres\[0\]\.body: must be the 8 first characters of a FINESS number/);
  });
});
