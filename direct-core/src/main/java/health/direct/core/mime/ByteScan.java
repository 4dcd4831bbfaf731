package health.direct.core.mime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Scans byte arrays eight bytes at a time. Finding line breaks and 8-bit bytes in a body of many
 * megabytes was, byte by byte, the largest cost of sealing and a large one of opening; reading a
 * {@code long} and testing all eight bytes with a few arithmetic operations is several times faster.
 *
 * <pre>{@code
 * int nl = ByteScan.indexOf(buf, pos, len, (byte) '\n'); // -1 when there is none
 * }</pre>
 */
public final class ByteScan {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LF = ONES * '\n';
  private static final long CR = ONES * '\r';

  private ByteScan() {}

  /** The eight bytes at {@code i}, the byte at {@code i} lowest. */
  static long word(byte[] a, int i) {
    return (long) LONGS.get(a, i);
  }

  /**
   * Sets the high bit of each byte of {@code w} that is zero. Above the lowest zero byte a set bit
   * may be a false alarm (the subtraction borrows), so only the lowest set bit is exact; callers
   * either take only that one or use the result as a yes/no.
   */
  static long zeroBytes(long w) {
    return (w - ONES) & ~w & HIGHS;
  }

  /** True if any of the eight bytes of {@code w} is CR or LF. */
  static boolean hasLineBreak(long w) {
    return (zeroBytes(w ^ LF) | zeroBytes(w ^ CR)) != 0;
  }

  /** True if any of the eight bytes of {@code w} has its high bit set (an 8-bit byte). */
  static boolean hasHighBit(long w) {
    return (w & HIGHS) != 0;
  }

  /** The index of the first {@code target} in {@code a[from, to)}, or -1. */
  public static int indexOf(byte[] a, int from, int to, byte target) {
    long pattern = ONES * (target & 0xff);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long hits = zeroBytes(word(a, i) ^ pattern);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == target) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first CR or LF in {@code a[from, to)}, or -1. */
  public static int indexOfLineBreak(byte[] a, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = word(a, i);
      long hits = zeroBytes(w ^ LF) | zeroBytes(w ^ CR);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (a[i] == '\n' || a[i] == '\r') {
        return i;
      }
    }
    return -1;
  }
}
