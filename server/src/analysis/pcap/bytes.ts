// Reading fixed-size integers from a byte array. Captures mix byte orders:
// container headers are in the writer's order, protocol headers in network
// (big-endian) order. Callers check bounds first; these never allocate.

export function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function le16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function le32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** A 32-bit reader in a fixed byte order. */
export type Read32 = (b: Uint8Array, o: number) => number;
export type Read16 = (b: Uint8Array, o: number) => number;
