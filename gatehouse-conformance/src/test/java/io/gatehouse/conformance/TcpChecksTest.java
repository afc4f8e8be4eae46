package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What {@code tlsConnectionRejected} counts as a rejection: EOF or a reset, never an alert. */
class TcpChecksTest {
  @Test
  void eofAndResetAreRejections() {
    assertThat(TcpChecks.rejection(new EOFException())).isTrue();
    SSLHandshakeException terminated = new SSLHandshakeException(
        "Remote host terminated the handshake");
    terminated.initCause(new EOFException("SSL peer shut down incorrectly"));
    assertThat(TcpChecks.rejection(terminated)).isTrue();
    assertThat(TcpChecks.rejection(new SocketException("Connection reset"))).isTrue();
  }

  @Test
  void alertsTimeoutsAndOtherErrorsAreNot() {
    assertThat(TcpChecks.rejection(
        new SSLHandshakeException("Received fatal alert: handshake_failure"))).isFalse();
    assertThat(TcpChecks.rejection(new SocketTimeoutException("Read timed out"))).isFalse();
    assertThat(TcpChecks.rejection(new SocketException("Connection refused"))).isFalse();
  }
}
