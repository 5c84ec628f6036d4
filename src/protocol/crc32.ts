/**
 * CRC-32 as used by Ethernet, zlib and PNG (CRC-32/ISO-HDLC): reflected polynomial 0xEDB88320
 * (0x04C11DB7 normal form), init 0xFFFFFFFF, reflected in and out, xorout 0xFFFFFFFF.
 * Check value: crc32("123456789") = 0xCBF43926. Chosen because every C library, Python (zlib.crc32)
 * and microcontroller CRC unit can compute it, so generated clients need no custom code.
 *
 * Slicing by 4: four 256-entry tables, one step per 4 bytes, the rest a byte at a time. Every
 * frame is checked once on each side, so this is on the path of every transaction.
 */
const TABLES: Int32Array = (() => {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 4; s++) t[s * 256 + n] = t[(t[(s - 1) * 256 + n]! & 0xff)]! ^ (t[(s - 1) * 256 + n]! >>> 8);
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    crc = t[768 + (crc & 0xff)]! ^ t[512 + ((crc >>> 8) & 0xff)]! ^ t[256 + ((crc >>> 16) & 0xff)]! ^ t[crc >>> 24]!;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
