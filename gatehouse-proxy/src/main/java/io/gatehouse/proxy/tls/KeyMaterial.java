package io.gatehouse.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A private key and its certificate chain, read from PEM. Keys may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}); BouncyCastle's PEM parser reads the last two, which the JDK
 * cannot. Encrypted keys are not supported. The key must belong to the first (leaf) certificate.
 *
 * @param key the private key, as a JDK key of its algorithm (RSA, EC, Ed25519)
 * @param chain the leaf first
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
  public KeyMaterial {
    chain = List.copyOf(chain);
  }

  /**
   * Reads and checks a certificate chain and its key.
   *
   * @throws GeneralSecurityException with a message fit for a status report (never key material)
   */
  public static KeyMaterial parse(String chainPem, String keyPem) throws GeneralSecurityException {
    List<X509Certificate> chain = certificates(chainPem);
    PrivateKey key = privateKey(keyPem);
    requireMatch(key, chain.get(0).getPublicKey());
    return new KeyMaterial(key, chain);
  }

  static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : factory.generateCertificates(
          new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new GeneralSecurityException("certificate chain is not valid PEM: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the chain");
    }
    return chain;
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      // The parser's messages do not quote the key; keep ours generic all the same.
      throw new GeneralSecurityException("private key is not valid PEM");
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      return switch (parsed) {
        case PrivateKeyInfo pkcs8 -> converter.getPrivateKey(pkcs8);
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo()); // PKCS#1, SEC1
        case null -> throw new GeneralSecurityException("no private key in the PEM");
        default -> throw new GeneralSecurityException(
            "unsupported private key type (encrypted keys are not supported)");
      };
    } catch (IOException e) {
      throw new GeneralSecurityException("private key could not be decoded", e);
    }
  }

  /** Signs a fixed message with the key and verifies it with the certificate's public key. */
  private static void requireMatch(PrivateKey key, PublicKey certificateKey)
      throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException(
          "unsupported private key algorithm " + key.getAlgorithm());
    };
    byte[] probe = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    boolean ok;
    try {
      verifier.initVerify(certificateKey);
      verifier.update(probe);
      ok = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new GeneralSecurityException("private key does not match the leaf certificate");
    }
  }
}
