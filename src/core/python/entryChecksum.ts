// The checksum behind each entry of the caches in the user's folder (parse cache, V8 code cache):
// it tells a whole entry from a corrupt or truncated one; what an entry is of (a version, a source
// text) keeps its SHA-256 identity. CRC-32 (zlib's, Node >= 20.15) where there is one: SHA-256 of
// the ~1.6 MB a warm CLI run reads was about a tenth of its instructions. Older Node (an editor's)
// falls back to SHA-256; an entry written under the other algorithm fails its check and is written
// again, never trusted. `node:crypto` loads only when something is hashed or written: loading it
// (with its X.509, cipher and key modules) cost a warm CLI run more than the reads it checks.
import * as zlib from 'node:zlib';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;
function lazyCrypto(): Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (crypto ??= require('node:crypto') as Crypto);
}

export function sha256(data: string | Uint8Array): Buffer {
  return lazyCrypto().createHash('sha256').update(data).digest();
}

/** A name part that keeps concurrent writers' temporary files apart. */
export function tempSuffix(): string {
  return lazyCrypto().randomBytes(4).toString('hex');
}

/** Bytes of the checksum in an entry, whichever algorithm wrote it. */
export const CHECKSUM_BYTES = 32;

const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The checksum of the concatenation of `parts` (CHECKSUM_BYTES long). */
export function entryChecksum(parts: readonly Uint8Array[], useCrc32 = crc32 !== undefined): Buffer {
  if (useCrc32 && crc32) {
    let c = 0;
    for (const p of parts) c = crc32(p, c);
    // the rest stays zero: no SHA-256 digest ends in 28 zero bytes but by a 2^-224 chance
    const out = Buffer.alloc(CHECKSUM_BYTES);
    out.writeUInt32LE(c >>> 0, 0);
    return out;
  }
  const sum = lazyCrypto().createHash('sha256');
  for (const p of parts) sum.update(p);
  return sum.digest();
}
