package io.gatehouse.translator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model and the translator are pure: no Netty, no Kubernetes client, no files, no sockets
 * (ARCHITECTURE.md §2). Test classes are excluded: golden tests may read files.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.gatehouse.model", "io.gatehouse.translator");
  }

  @Test
  void importsBothPackages() {
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("io.gatehouse.model"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("io.gatehouse.translator"))
        .isTrue();
  }

  @Test
  void noNettyOrKubernetesClient() {
    ArchRule rule = noClasses().that()
        .resideInAnyPackage("io.gatehouse.model..", "io.gatehouse.translator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "io.fabric8.kubernetes.client..");
    rule.check(classes);
  }

  @Test
  void noFilesOrSockets() {
    ArchRule rule = noClasses().that()
        .resideInAnyPackage("io.gatehouse.model..", "io.gatehouse.translator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.nio.file..", "java.nio.channels..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(java.io.File.class, java.net.Socket.class, java.net.ServerSocket.class);
    rule.check(classes);
  }
}
