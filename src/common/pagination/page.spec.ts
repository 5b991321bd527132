import 'reflect-metadata';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './page';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('cursors', () => {
  it('gives back every offset it encoded', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999 }), (offset) => expect(decodeCursor(encodeCursor(offset))).toBe(offset)));
  });

  it.each(['1e21', '1e3', '0x10', '-1', '1.5', ' 12', '9999999999999999999999', 'NaN', 'Infinity', ''])('refuses a cursor that decodes to %p with a 400 naming the cursor', (text) => {
    const cursor = text === '' ? '!!!' : b64(text);
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ status: 400, errors: [{ field: 'cursor', reason: 'is not a valid cursor' }] }));
  });

  it('refuses any string that is not a cursor it gave, never throwing anything but a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (cursor) => {
        try {
          const offset = decodeCursor(cursor);
          expect(cursor === '' || encodeCursor(offset) === cursor).toBe(true);
        } catch (error: unknown) {
          expect((error as { status?: number }).status).toBe(400);
        }
      }),
    );
  });
});
