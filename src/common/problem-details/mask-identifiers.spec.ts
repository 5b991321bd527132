import fc from 'fast-check';
import { MASK, maskIdentifierText, maskIdentifiers } from './mask-identifiers';

const withKey = (body: string): string => {
  const n = BigInt(body.replace('2A', '19').replace('2B', '18'));
  return body + String(97n - (n % 97n)).padStart(2, '0');
};

describe('maskIdentifiers', () => {
  it.each([
    ['a NIR with its key', withKey('1850578006084')],
    ['a NIR without its key', '1850578006084'],
    ['a NIR with spaces', '1 85 05 78 006 084 36'],
    ['a NIR with dots and dashes', '1.85.05-78-006-084'],
    ['a Corsican NIR (2A)', withKey('18505' + '2A' + '006084')],
    ['a Corsican NIR (2B) with spaces', '2 85 05 2B 006 084 12'],
    ['a NIR glued to a word', 'medicine=1850578006084x'],
  ])('masks %s', (_, value) => {
    const masked = maskIdentifierText(`line 3: medicine ${value} is unknown`);
    expect(masked).toContain(MASK);
    expect(masked.replace(/\s|\.|-/g, '')).not.toContain(value.replace(/\s|\.|-|medicine=|x$/g, ''));
  });

  it('keeps what is not an identifier: periods, dates, byte counts, FINESS, line numbers', () => {
    const text = 'period 2023-05 on 2023-05-15T10:00:00Z: 5242880 bytes; FINESS 759900012; line 12; 2A0000017';
    expect(maskIdentifierText(text)).toBe(text);
  });

  it('keeps ids whole: a UUID whose digit groups read like a dashed NIR is not masked, a NIR beside it still is', () => {
    const id = '772a4870-b152-4487-8079-40e0fa8aa274';
    expect(maskIdentifierText(`open request ${id}`)).toBe(`open request ${id}`);
    expect(maskIdentifierText(`${id} for 1 85 05 75 900 002 47`)).toBe(`${id} for ${MASK}`);
    fc.assert(fc.property(fc.uuid(), (uuid) => maskIdentifierText(`request ${uuid}`) === `request ${uuid}`));
  });

  it('masks every member of a problem, field names and nested extras included', () => {
    const nir = '185057800608436';
    const problem = { type: 't', title: 'x', status: 422, detail: `patient ${nir} unknown`, instance: `/api/v1/patients/${nir}`, errors: [{ field: nir, reason: `is ${nir}` }], lines: [{ line: 2, reason: `got ${nir}` }] };
    const masked = JSON.stringify(maskIdentifiers(problem));
    expect(masked).not.toContain(nir);
    expect(masked).toContain('"status":422');
    expect(masked).toContain('"line":2');
  });

  it('never lets any 13-digit run through, however it is spaced', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 15 }), fc.array(fc.constantFrom('', ' ', '.', '-'), { minLength: 15, maxLength: 15 }), (digits, seps) => {
        const value = digits.map((d, i) => `${d}${i < digits.length - 1 ? seps[i] : ''}`).join('');
        expect(maskIdentifierText(`x ${value} y`).replace(/\D/g, '')).not.toContain(digits.join(''));
      }),
    );
  });
});
