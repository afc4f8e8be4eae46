package io.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A DNS responder like CoreDNS with the {@code whoami} plugin for one zone (HARNESS.md §9.4): a
 * standard query (opcode QUERY, one question) for a name in the zone gets NOERROR, AA, RD copied,
 * the question echoed and two additional records: {@code <qname> 0 IN A|AAAA <client address>} and
 * {@code _udp.<qname> 0 IN SRV 0 0 <client port> .}. Names outside the zone get REFUSED (CoreDNS
 * would forward them; nothing to forward to here), other opcodes NOTIMP, a question that does not
 * parse FORMERR; datagrams shorter than a header, or responses, are ignored.
 *
 * @param zone e.g. {@code foo.bar.com}, without the trailing dot
 */
public record DnsWhoami(String zone) {
  /** The DNS port. */
  public static final int PORT = 53;
  /** Read buffer: a classic UDP DNS message is at most 512 bytes; EDNS0 allows more. */
  public static final int READ_BUFFER = 4096;

  private static final int HEADER = 12;
  private static final int NOERROR = 0;
  private static final int FORMERR = 1;
  private static final int NOTIMP = 4;
  private static final int REFUSED = 5;

  /** The answer to one datagram, or null when none is due. */
  public byte @Nullable [] answer(byte[] query, InetSocketAddress client) {
    if (query.length < HEADER || (query[2] & 0x80) != 0) {
      return null;
    }
    int opcode = (query[2] >> 3) & 0x0F;
    boolean rd = (query[2] & 0x01) != 0;
    int qdcount = u16(query, 4);
    if (opcode != 0) {
      return header(query, opcode, rd, false, NOTIMP, 0, 0);
    }
    int end = qdcount == 1 ? questionEnd(query) : -1;
    if (end < 0) {
      return header(query, opcode, rd, false, FORMERR, 0, 0);
    }
    String name = name(query);
    String zoneName = zone.toLowerCase(Locale.ROOT);
    boolean inZone = name.equals(zoneName) || name.endsWith("." + zoneName);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] h = header(query, opcode, rd, inZone, inZone ? NOERROR : REFUSED, 1, inZone ? 2 : 0);
    out.write(h, 0, h.length);
    out.write(query, HEADER, end - HEADER);
    if (inZone) {
      boolean v4 = client.getAddress() instanceof Inet4Address;
      byte[] ip = client.getAddress().getAddress();
      out.write(0xC0);
      out.write(HEADER); // pointer to the question name
      record(out, v4 ? 1 : 28, ip);
      out.write(4);
      out.writeBytes("_udp".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(0xC0);
      out.write(HEADER);
      int port = client.getPort();
      record(out, 33, new byte[]{0, 0, 0, 0, (byte) (port >> 8), (byte) port, 0});
    }
    return out.toByteArray();
  }

  private static void record(ByteArrayOutputStream out, int type, byte[] rdata) {
    out.writeBytes(new byte[]{(byte) (type >> 8), (byte) type, 0, 1, 0, 0, 0, 0,
        (byte) (rdata.length >> 8), (byte) rdata.length});
    out.writeBytes(rdata);
  }

  private static byte[] header(byte[] query, int opcode, boolean rd, boolean aa, int rcode,
      int qdcount, int arcount) {
    return new byte[]{query[0], query[1],
        (byte) (0x80 | opcode << 3 | (aa ? 0x04 : 0) | (rd ? 0x01 : 0)), (byte) rcode,
        0, (byte) qdcount, 0, 0, 0, 0, 0, (byte) arcount};
  }

  /** The offset after the single question, or -1 when it does not parse (pointers included). */
  private static int questionEnd(byte[] m) {
    int i = HEADER;
    while (i < m.length) {
      int len = m[i] & 0xFF;
      if (len == 0) {
        return i + 5 <= m.length ? i + 5 : -1;
      }
      if (len > 63) {
        return -1;
      }
      i += 1 + len;
    }
    return -1;
  }

  /** The question name in lower case, without the trailing dot. */
  private static String name(byte[] m) {
    StringBuilder sb = new StringBuilder();
    int i = HEADER;
    while ((m[i] & 0xFF) != 0) {
      int len = m[i] & 0xFF;
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(m, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }
}
