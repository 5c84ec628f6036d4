/**
 * CRC-32 as used by Ethernet, zlib and PNG (CRC-32/ISO-HDLC): reflected polynomial 0xEDB88320
 * (0x04C11DB7 normal form), init 0xFFFFFFFF, reflected in and out, xorout 0xFFFFFFFF.
 * Check value: crc32("123456789") = 0xCBF43926. Chosen because every C library, Python (zlib.crc32)
 * and microcontroller CRC unit can compute it, so generated clients need no custom code.
 */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}
