package io.gatehouse.standalone.file;

import static io.gatehouse.standalone.file.DirectoryLoaderTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private final BlockingQueue<SourceSnapshot> snapshots = new LinkedBlockingQueue<>();
  private FileSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private FileSource start(FileSourceOptions options) throws IOException {
    source = new FileSource(dir, options, snapshots::add);
    source.start();
    return source;
  }

  @Test
  void startDeliversTheFirstLoadBeforeReturning() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), service("default", "echo"));

    start(FileSourceOptions.defaults());

    SourceSnapshot first = snapshots.poll();
    assertThat(first).isNotNull();
    assertThat(first.loadGeneration()).isEqualTo(1);
    assertThat(first.resources().services()).hasSize(1);
    assertThat(source.loadCount()).isEqualTo(1);
  }

  @Test
  void loadOnceReadsADirectoryOrASingleFileOfAnyName() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), service("default", "one"));
    Files.writeString(dir.resolve("b.txt"), service("default", "two"));

    assertThat(FileSource.loadOnce(dir).resources().services()).hasSize(1);
    SourceSnapshot single = FileSource.loadOnce(dir.resolve("b.txt"));
    assertThat(single.resources().services()).singleElement()
        .satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("two"));
    assertThat(single.errors()).isEmpty();
  }

  @Test
  void burstOfWritesIsCoalescedIntoOneReload() throws Exception {
    // Rescans off (1 h) so that only watch events and the debounce decide when loads happen.
    start(FileSourceOptions.defaults().withDebounce(Duration.ofMillis(700))
        .withRescanInterval(Duration.ofHours(1)));
    assertThat(snapshots.poll().objects()).isEmpty();

    int files = 20;
    for (int i = 0; i < files; i++) {
      Files.writeString(dir.resolve("s" + i + ".yaml"), service("default", "s" + i));
    }

    SourceSnapshot next = await(s -> !s.objects().isEmpty());
    assertThat(next.resources().services()).hasSize(files);
    assertThat(next.loadGeneration()).isEqualTo(2);
    assertThat(source.loadCount()).isEqualTo(2);
  }

  @Test
  void changedFileIsReloaded() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), service("default", "one"));
    start(FileSourceOptions.defaults().withDebounce(Duration.ofMillis(50)));
    snapshots.clear();

    Files.writeString(dir.resolve("a.yaml"), service("default", "two"));

    SourceSnapshot next = await(s -> s.resources().services().stream()
        .anyMatch(svc -> svc.getMetadata().getName().equals("two")));
    assertThat(next.resources().services()).hasSize(1);
  }

  @Test
  void newSubdirectoriesAreWatched() throws Exception {
    start(FileSourceOptions.defaults().withDebounce(Duration.ofMillis(50))
        .withRescanInterval(Duration.ofHours(1)));
    Path sub = Files.createDirectories(dir.resolve("x/y"));
    await(s -> true); // the directories' creation

    Files.writeString(sub.resolve("late.yml"), service("default", "late"));

    await(s -> s.resources().services().size() == 1);
  }

  @Test
  void periodicRescanNoticesChangesWithoutWatchEvents() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), service("default", "one"));
    source = new FileSource(dir, FileSourceOptions.defaults().withDebounce(Duration.ofMillis(50))
        .withRescanInterval(Duration.ofMillis(100)), snapshots::add, false);
    source.start();
    snapshots.clear();

    Files.writeString(dir.resolve("a.yaml"), service("default", "two-longer"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.yaml"), service("default", "three"));

    SourceSnapshot next = await(s -> s.resources().services().size() == 2);
    assertThat(next.resources().services()).extracting(s -> s.getMetadata().getName())
        .containsExactly("three", "two-longer");
  }

  private SourceSnapshot await(Predicate<SourceSnapshot> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int i = 0; i < 1000; i++) {
      SourceSnapshot s = snapshots.poll(Math.max(0, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS);
      assertThat(s).as("a matching snapshot within " + WAIT).isNotNull();
      if (condition.test(s)) {
        return s;
      }
    }
    throw new AssertionError("no matching snapshot in 1000 snapshots");
  }
}
