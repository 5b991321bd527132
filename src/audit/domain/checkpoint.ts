import { KeyObject, createHash, createPublicKey, sign, verify } from 'node:crypto';
import { ChainPoint } from './audit-chain';

/**
 * A signed checkpoint of the audit chain (SPEC §8), as transparency logs sign their tree heads:
 * whoever keeps it outside the database can later prove that the chain still extends it.
 */
export interface Checkpoint extends ChainPoint {
  at: string;
  /** Ed25519 signature of `checkpointMessage`, base64. */
  signature: string;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

/** The first line of every signed message: names what is signed, so a signature means nothing elsewhere. */
export const CHECKPOINT_ORIGIN = 'contingent audit checkpoint v1';

/** The exact bytes signed: origin, sequence number, hash and time, one per line. */
export function checkpointMessage(point: ChainPoint & { at: string }): string {
  return `${CHECKPOINT_ORIGIN}\n${point.seq}\n${point.hash}\n${point.at}\n`;
}

/** The raw public key of an Ed25519 key (private or public), base64. */
export function publicKeyBase64(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** A short fingerprint of a public key (first 16 hex digits of its SHA-256), for printing. */
export function keyFingerprint(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);
}

export function signCheckpoint(privateKey: KeyObject, point: ChainPoint, at: string): Checkpoint {
  const signature = sign(null, Buffer.from(checkpointMessage({ ...point, at })), privateKey).toString('base64');
  return { seq: point.seq, hash: point.hash, at, signature, publicKey: publicKeyBase64(privateKey) };
}

/** Why a checkpoint cannot be trusted by the holder of `trusted` (its signature or its key), or null when it can. */
export function checkpointSignatureProblem(checkpoint: Checkpoint, trusted: KeyObject): string | null {
  const ours = publicKeyBase64(trusted);
  if (checkpoint.publicKey !== ours) return `the checkpoint was signed by key ${keyFingerprint(checkpoint.publicKey)}, not by this server's key ${keyFingerprint(ours)}`;
  const publicKey = trusted.type === 'private' ? createPublicKey(trusted) : trusted;
  const mismatch = 'the checkpoint signature does not match its sequence number, hash and time';
  try {
    return verify(null, Buffer.from(checkpointMessage(checkpoint)), publicKey, Buffer.from(checkpoint.signature, 'base64')) ? null : mismatch;
  } catch {
    return mismatch;
  }
}

/** The checkpoint as a text to print and archive (a signed note: the signed lines, then the key and signature). */
export function checkpointNote(checkpoint: Checkpoint): string {
  return `${checkpointMessage(checkpoint)}\n— contingent ${keyFingerprint(checkpoint.publicKey)} ${checkpoint.publicKey} ${checkpoint.signature}\n`;
}
