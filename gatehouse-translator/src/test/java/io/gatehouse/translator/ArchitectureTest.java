package io.gatehouse.translator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The model and the translator are pure (ARCHITECTURE.md §2): no Netty, no Kubernetes client, no
 * files, no sockets. Test classes are excluded from the import: golden tests may read files.
 */
class ArchitectureTest {
  private static final String[] PURE = {"io.gatehouse.model..", "io.gatehouse.translator.."};

  static final ArchRule NO_NETTY_OR_CLIENT = noClasses().that()
      .resideInAnyPackage(PURE)
      .should()
      .dependOnClassesThat()
      .resideInAnyPackage("io.netty..", "io.fabric8.kubernetes.client..");

  static final ArchRule NO_FILES_OR_SOCKETS = noClasses().that()
      .resideInAnyPackage(PURE)
      .should()
      .dependOnClassesThat()
      .resideInAnyPackage("java.nio.file..", "java.nio.channels..")
      .orShould()
      .dependOnClassesThat()
      .belongToAnyOf(File.class, Socket.class, ServerSocket.class);

  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.gatehouse.model", "io.gatehouse.translator");

  @Test
  void importsBothModules() {
    assertThat(PRODUCTION.containPackage("io.gatehouse.model")).isTrue();
    assertThat(PRODUCTION.containPackage("io.gatehouse.translator")).isTrue();
  }

  @Test
  void noNettyOrKubernetesClient() {
    NO_NETTY_OR_CLIENT.check(PRODUCTION);
  }

  @Test
  void noFilesOrSockets() {
    NO_FILES_OR_SOCKETS.check(PRODUCTION);
  }

  @Test
  void rulesCatchAViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(Impure.class);
    assertThat(NO_FILES_OR_SOCKETS.evaluate(bad).hasViolation()).isTrue();
  }

  /** A deliberately impure class, to prove the rule can fail. */
  static final class Impure {
    Path path() {
      return Path.of("x");
    }
  }
}
