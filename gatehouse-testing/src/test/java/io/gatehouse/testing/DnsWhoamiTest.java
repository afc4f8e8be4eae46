package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsWhoamiTest {
  private static final DnsWhoami WHOAMI = new DnsWhoami("foo.bar.com");

  /** ID 0xBEEF, RD, one question foo.bar.com. A IN: the 29-byte query of the conformance test. */
  private static byte[] query(String name, int flagsHigh) {
    byte[] header = {(byte) 0xBE, (byte) 0xEF, (byte) flagsHigh, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(header);
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes());
    }
    out.writeBytes(new byte[]{0, 0, 1, 0, 1});
    return out.toByteArray();
  }

  @Test
  void answersAZoneQueryWithTheClientAddressAndPort() throws Exception {
    byte[] q = query("foo.bar.com", 0x01);
    assertThat(q).hasSize(29);
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 40000);
    byte[] r = WHOAMI.answer(q, client);
    assertThat(r[0]).isEqualTo((byte) 0xBE);
    assertThat(r[1]).isEqualTo((byte) 0xEF);
    assertThat(r[2] & 0xFF).isEqualTo(0x85); // QR, AA, RD
    assertThat(r[3]).isZero(); // NOERROR
    assertThat(Arrays.copyOfRange(r, 4, 12)).containsExactly(0, 1, 0, 0, 0, 0, 0, 2);
    assertThat(Arrays.copyOfRange(r, 12, 29)).isEqualTo(Arrays.copyOfRange(q, 12, 29));
    // A record: pointer, type 1, class 1, TTL 0, length 4, 127.0.0.9
    assertThat(Arrays.copyOfRange(r, 29, 45)).containsExactly(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0,
        4, 127, 0, 0, 9);
    // SRV _udp.<name>: port 40000 = 0x9C40, target root
    assertThat(r).hasSize(45 + 7 + 10 + 7);
    assertThat(r[r.length - 3] & 0xFF).isEqualTo(0x9C);
    assertThat(r[r.length - 2] & 0xFF).isEqualTo(0x40);
    assertThat(r.length).isLessThanOrEqualTo(512);
  }

  @Test
  void refusesOtherNamesAndIgnoresResponsesAndRunts() {
    InetSocketAddress client = new InetSocketAddress("127.0.0.9", 1);
    byte[] r = WHOAMI.answer(query("example.org", 0x01), client);
    assertThat(r[3]).isEqualTo((byte) 5);
    assertThat(r[11]).isZero();
    assertThat(WHOAMI.answer(query("foo.bar.com", 0x81), client)).isNull();
    assertThat(WHOAMI.answer(new byte[5], client)).isNull();
  }

  @Test
  void answersFormErrWhenTheQuestionIsCutShort() {
    byte[] q = Arrays.copyOf(query("foo.bar.com", 0x01), 20);
    byte[] r = WHOAMI.answer(q, new InetSocketAddress("127.0.0.9", 1));
    assertThat(r).hasSize(12);
    assertThat(r[3]).isEqualTo((byte) 1);
  }
}
