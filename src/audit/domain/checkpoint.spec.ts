import { generateKeyPairSync } from 'node:crypto';
import { checkpointMessage, checkpointNote, checkpointSignatureProblem, publicKeyBase64, signCheckpoint } from './checkpoint';

describe('signed audit checkpoints', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const point = { seq: 42, hash: 'a'.repeat(64) };

  it('signs the origin, sequence number, hash and time with the raw public key alongside', () => {
    const checkpoint = signCheckpoint(privateKey, point, '2023-05-15T06:00:00.000Z');
    expect(checkpoint).toMatchObject({ seq: 42, hash: 'a'.repeat(64), at: '2023-05-15T06:00:00.000Z', publicKey: publicKeyBase64(privateKey) });
    expect(Buffer.from(checkpoint.publicKey, 'base64')).toHaveLength(32);
    expect(Buffer.from(checkpoint.signature, 'base64')).toHaveLength(64);
    expect(checkpointMessage(checkpoint)).toBe(`contingent audit checkpoint v1\n42\n${'a'.repeat(64)}\n2023-05-15T06:00:00.000Z\n`);
    expect(checkpointSignatureProblem(checkpoint, privateKey)).toBeNull();
    expect(checkpointNote(checkpoint)).toContain(checkpoint.signature);
  });

  it('refuses a checkpoint whose fields were changed after signing', () => {
    const checkpoint = signCheckpoint(privateKey, point, '2023-05-15T06:00:00.000Z');
    expect(checkpointSignatureProblem({ ...checkpoint, seq: 41 }, privateKey)).toMatch(/signature does not match/);
    expect(checkpointSignatureProblem({ ...checkpoint, hash: 'b'.repeat(64) }, privateKey)).toMatch(/signature does not match/);
    expect(checkpointSignatureProblem({ ...checkpoint, signature: 'AAAA' }, privateKey)).toMatch(/signature does not match/);
  });

  it('refuses a checkpoint signed by another key, even a valid signature', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(checkpointSignatureProblem(signCheckpoint(other, point, '2023-05-15T06:00:00.000Z'), privateKey)).toMatch(/signed by key [0-9a-f]{16}, not by this server's key/);
  });
});
