package io.gatehouse.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic Kubernetes-looking pod names, {@code <deployment>-<10 char rs hash>-<5 char pod
 * hash>}, drawn from the alphabet Kubernetes uses for generated names (no vowels, no 0/1/3).
 */
final class PodNames {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodNames() {
  }

  static String of(String namespace, String deployment, int index) {
    String rs = hash(namespace + "/" + deployment, 10);
    String pod = hash(namespace + "/" + deployment + "/" + index, 5);
    return deployment + "-" + rs + "-" + pod;
  }

  static String hash(String seed, int length) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        sb.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
