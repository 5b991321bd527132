import busboy from 'busboy';
import { Hash, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { DomainError } from '../common/domain/domain-error';

/** What a multipart recap upload gave besides the file. */
export interface RecapUploadParts<T> {
  /** The form fields, and whether each came before the file (so it could be checked line by line). */
  fields: Map<string, { value: string; beforeFile: boolean }>;
  unknownParts: string[];
  fileSeen: boolean;
  /** The file went past the size limit: it was cut there and the rest was thrown away. */
  truncated: boolean;
  result: T | null;
  /**
   * SHA-256 of the parts as they came (field names and values, the file's bytes, also those
   * drained unread): what the Idempotency-Key fingerprints an upload by. Kept in memory only.
   */
  digest: string;
}

export class UnsupportedUpload extends Error {}

/** The multipart body itself is broken (no closing boundary, cut part, bad header): a 400, never a crash. */
export function malformedUpload(): DomainError {
  return new DomainError('MALFORMED_UPLOAD', {}, 400, [{ field: 'body', reason: 'is not a complete multipart/form-data body' }]);
}

/**
 * Reads a multipart/form-data upload as it arrives (busboy): the `file` part is handed over as a
 * stream of chunks to `onFile`, which is awaited; nothing of it is held beyond what `onFile`
 * keeps. Past `maxBytes` the file is cut and `truncated` is set.
 */
export async function readRecapUpload<T>(
  request: Readable & { headers: IncomingHttpHeaders },
  maxBytes: number,
  onFile: (chunks: AsyncGenerator<Buffer>, fieldsSoFar: Map<string, string>) => Promise<T>,
): Promise<RecapUploadParts<T>> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: request.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1_024, parts: 12 } });
  } catch (error: unknown) {
    throw new UnsupportedUpload((error as Error).message);
  }
  const parts: RecapUploadParts<T> = { fields: new Map(), unknownParts: [], fileSeen: false, truncated: false, result: null, digest: '' };
  const digest = createHash('sha256');
  const fileHash = createHash('sha256');
  const frame = (kind: string, name: string, value: string): void => {
    digest.update(`${kind}\0${name}\0${Buffer.byteLength(value)}\0${value}\n`);
  };
  let work: Promise<void> = Promise.resolve();
  // Any error of the upload (busboy, the file part, the request) is recorded here and answered as a
  // 400; every stream gets a permanent 'error' listener so that nothing is thrown outside the request.
  let streamError: unknown = null;
  const failed = (error: unknown): void => {
    streamError ??= error;
  };

  let fileStream: Readable | null = null;
  const closed = new Promise<void>((resolve) => {
    const fail = (error: unknown): void => {
      failed(error);
      if (fileStream && !fileStream.destroyed) fileStream.destroy(error instanceof Error ? error : new Error('upload failed'));
      request.unpipe(parser);
      request.resume(); // drain what is left so the answer can be sent
      resolve();
    };
    parser.on('field', (name, value) => {
      frame('field', name, value);
      if (name === 'medicine' || name === 'period') parts.fields.set(name, { value, beforeFile: false });
      else parts.unknownParts.push(name);
    });
    parser.on('file', (name, stream) => {
      stream.on('error', failed);
      if (name !== 'file' || parts.fileSeen) {
        frame('part', name, '');
        parts.unknownParts.push(name);
        stream.resume();
        return;
      }
      parts.fileSeen = true;
      frame('file', name, '');
      fileStream = stream;
      stream.on('limit', () => {
        parts.truncated = true;
      });
      const soFar = new Map([...parts.fields].map(([k, v]) => [k, v.value]));
      for (const field of parts.fields.values()) field.beforeFile = true;
      work = onFile(hashing(readChunks(stream), fileHash), soFar)
        .then((result) => {
          parts.result = result;
        })
        .finally(() => {
          stream.on('data', (chunk: Buffer) => fileHash.update(chunk)); // what was not read is hashed too,
          stream.resume(); // and drained, so the request completes
        });
      work.catch(() => undefined); // awaited below; this only keeps an early rejection from being unhandled
    });
    parser.on('close', () => resolve());
    parser.on('error', fail);
    request.on('error', fail);
    request.on('aborted', () => fail(new Error('request aborted')));
  });
  request.pipe(parser);
  await closed;
  if (streamError !== null) {
    await work.catch(() => undefined);
    throw malformedUpload();
  }
  try {
    await work;
  } catch (error: unknown) {
    if (streamError !== null) throw malformedUpload();
    throw error;
  }
  digest.update(`file-bytes\0${parts.truncated ? 'truncated' : 'whole'}\0${fileHash.digest('hex')}\n`);
  parts.digest = digest.digest('hex');
  return parts;
}

/** The chunks, each added to `hash` as it is handed over. */
async function* hashing(chunks: AsyncGenerator<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * The chunks of a stream, pulled one at a time. Unlike iterating the stream itself, stopping
 * early leaves the stream alive, so that busboy can drain the rest of the request.
 */
async function* readChunks(stream: Readable): AsyncGenerator<Buffer> {
  for (;;) {
    let chunk: Buffer | null;
    while ((chunk = stream.read() as Buffer | null) !== null) yield chunk;
    if (stream.readableEnded) return;
    if (stream.errored) throw stream.errored;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('readable', done);
        stream.off('end', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('readable', done);
      stream.on('end', done);
      stream.on('error', done);
    });
  }
}
