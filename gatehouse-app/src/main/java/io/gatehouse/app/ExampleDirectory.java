package io.gatehouse.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Finds the quickstart example: the checkout's {@code examples/quickstart} (so that edits show up
 * live in the demo), else the copy bundled in the jar, extracted to a temporary directory.
 */
final class ExampleDirectory {
  private static final String EXAMPLE = "examples/quickstart";

  private ExampleDirectory() {
  }

  static Path quickstart() {
    for (String base : new String[]{System.getenv("GATEHOUSE_HOME"), "."}) {
      if (base != null && Files.isDirectory(Path.of(base, EXAMPLE))) {
        return Path.of(base, EXAMPLE).toAbsolutePath().normalize();
      }
    }
    return extractBundled();
  }

  private static Path extractBundled() {
    URL url = Objects.requireNonNull(ExampleDirectory.class.getClassLoader().getResource(EXAMPLE),
        "the jar has no bundled " + EXAMPLE);
    try {
      Path target = Files.createTempDirectory("gatehouse-quickstart");
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          copy(jar.getPath(EXAMPLE), target);
        }
      } else {
        copy(Path.of(uri), target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract the bundled example", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.list(from)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      Files.copy(file, to.resolve(file.getFileName().toString()));
    }
  }
}
