package io.gatehouse.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The few DNS wire-format operations the {@code dnsQuery} check needs (RFC 1035 §4): building a
 * standard query and checking that a reply unpacks as a complete message, as miekg/dns
 * {@code Msg.Unpack} would.
 */
final class DnsMessages {
  private static final int HEADER = 12;

  private DnsMessages() {
  }

  /**
   * A standard query: {@code id}, opcode QUERY, only RD (when asked), one question {@code name}
   * {@code type} IN, no other records, no EDNS0 (29 bytes for {@code foo.bar.com.} A).
   */
  static byte[] query(int id, String name, int type, boolean recursionDesired) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[]{(byte) (id >> 8), (byte) id, (byte) (recursionDesired ? 1 : 0), 0,
        0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      if (!label.isEmpty()) {
        byte[] b = label.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
      }
    }
    out.writeBytes(new byte[]{0, (byte) (type >> 8), (byte) type, 0, 1});
    return out.toByteArray();
  }

  /** The record type code of a name such as {@code A} or {@code AAAA}. */
  static int type(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "A" -> 1;
      case "NS" -> 2;
      case "CNAME" -> 5;
      case "TXT" -> 16;
      case "AAAA" -> 28;
      case "SRV" -> 33;
      default -> throw new IllegalArgumentException("unknown DNS type: " + name);
    };
  }

  static int id(byte[] m) {
    return (m[0] & 0xFF) << 8 | (m[1] & 0xFF);
  }

  /** Null when the first {@code length} bytes are one complete DNS message, else why not. */
  static @Nullable String wellFormed(byte[] m, int length) {
    if (length < HEADER) {
      return length + " bytes, shorter than a DNS header";
    }
    int off = HEADER;
    int questions = u16(m, 4);
    for (int i = 0; i < questions; i++) {
      off = skipName(m, off, length);
      if (off < 0 || off + 4 > length) {
        return "question " + i + " is cut short";
      }
      off += 4;
    }
    int records = u16(m, 6) + u16(m, 8) + u16(m, 10);
    for (int i = 0; i < records; i++) {
      off = skipName(m, off, length);
      if (off < 0 || off + 10 > length) {
        return "record " + i + " is cut short";
      }
      off += 10 + u16(m, off + 8);
      if (off > length) {
        return "record " + i + " data is cut short";
      }
    }
    return null;
  }

  /** The offset after a (possibly compressed) name, or -1. */
  private static int skipName(byte[] m, int off, int length) {
    while (off < length) {
      int b = m[off] & 0xFF;
      if (b == 0) {
        return off + 1;
      }
      if ((b & 0xC0) == 0xC0) {
        return off + 2 <= length ? off + 2 : -1;
      }
      if ((b & 0xC0) != 0) {
        return -1;
      }
      off += 1 + b;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }
}
