package io.gatehouse.standalone.file;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a directory of Kubernetes YAML and re-loads it whenever it changes, handing each
 * {@link SourceSnapshot} to a listener.
 *
 * <p>
 * Changes are noticed by a {@link WatchService} registered on every subdirectory, and, as a
 * fallback for file systems that deliver no events, by comparing modification times and sizes every
 * {@link FileSourceOptions#rescanInterval}. Either starts a debounce timer; the load happens once
 * the directory has been quiet for {@link FileSourceOptions#debounce} (at most 10 debounce periods
 * after the first change, so a constant trickle of writes cannot starve it).
 *
 * <p>
 * Threading: {@link #start} loads once on the caller's thread, then one daemon thread watches,
 * loads and calls the listener, one snapshot at a time. The listener must not block for long.
 */
public final class FileSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  private static final long NONE = Long.MIN_VALUE;

  private final Path root;
  private final FileSourceOptions options;
  private final Consumer<SourceSnapshot> listener;
  private final DirectoryLoader loader;
  private final AtomicLong loads = new AtomicLong();
  private final boolean watchEvents;
  private WatchService watcher;
  private Thread thread;
  private volatile boolean closed;
  private String lastProblem = "";

  public FileSource(Path root, FileSourceOptions options, Consumer<SourceSnapshot> listener) {
    this(root, options, listener, true);
  }

  /** With {@code watchEvents} false, only the periodic rescan notices changes (for tests). */
  FileSource(Path root, FileSourceOptions options, Consumer<SourceSnapshot> listener,
      boolean watchEvents) {
    this.watchEvents = watchEvents;
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
    this.options = requireNonNull(options, "options");
    this.listener = requireNonNull(listener, "listener");
    this.loader = new DirectoryLoader(this.root, options);
  }

  /**
   * Loads a directory, or a single file, once with the default options, without watching: for
   * one-shot tools such as {@code gatehouse translate}.
   */
  public static SourceSnapshot loadOnce(Path path) {
    return new DirectoryLoader(path.toAbsolutePath().normalize(), FileSourceOptions.defaults())
        .load();
  }

  /**
   * Loads the directory and delivers the first snapshot before returning, then starts watching.
   *
   * @throws IOException if the directory cannot be watched
   */
  public synchronized void start() throws IOException {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    watcher = root.getFileSystem().newWatchService();
    if (watchEvents) {
      registerTree(root);
    }
    loadAndDeliver();
    thread = new Thread(this::watchLoop, "gatehouse-file-source");
    thread.setDaemon(true);
    thread.start();
  }

  /** How many loads have completed, including the first. */
  public long loadCount() {
    return loads.get();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the watch service", e);
      }
    }
  }

  private void watchLoop() {
    long debounce = options.debounce().toNanos();
    long rescan = options.rescanInterval().toNanos();
    long nextRescan = System.nanoTime() + rescan;
    long firstChange = NONE;
    long dueAt = NONE;
    while (!closed) {
      try {
        long now = System.nanoTime();
        long wakeAt = dueAt == NONE ? nextRescan : Math.min(dueAt, nextRescan);
        WatchKey key = watcher.poll(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
        now = System.nanoTime();
        boolean changed = key != null && drain(key);
        if (!changed && now - nextRescan >= 0) {
          nextRescan = now + rescan;
          // An unlistable directory (null) counts as a change once: the load reports the error.
          changed = !Objects.equals(loader.scanQuietly(), loader.loadedFiles());
        }
        if (changed) {
          firstChange = firstChange == NONE ? now : firstChange;
          dueAt = Math.min(now + debounce, firstChange + 10 * debounce);
        }
        if (dueAt != NONE && now - dueAt >= 0) {
          firstChange = NONE;
          dueAt = NONE;
          nextRescan = System.nanoTime() + rescan;
          loadAndDeliver();
        }
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      } catch (IOException | UncheckedIOException e) {
        // Registration of a new directory failed; the periodic rescan still covers it.
        String problem = e.toString();
        if (!problem.equals(lastProblem)) {
          LOG.warn("Watching {} failed; the periodic rescan covers it: {}", root, problem);
        }
        lastProblem = problem;
      } catch (RuntimeException e) {
        LOG.error("Bug in the file source; it keeps watching", e);
      }
    }
  }

  /** Handles every pending key; true if anything happened (any event may concern a YAML file). */
  private boolean drain(WatchKey first) throws IOException {
    boolean any = false;
    for (WatchKey key = first; key != null; key = watcher.poll()) {
      Path dir = (Path) key.watchable();
      for (WatchEvent<?> event : key.pollEvents()) {
        any = true;
        if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name
            && Files.isDirectory(dir.resolve(name))) {
          // Files already inside are read by the load this event leads to.
          registerTree(dir.resolve(name));
        }
        if (event.kind() == OVERFLOW) {
          registerTree(root);
        }
      }
      key.reset();
    }
    return any;
  }

  private void registerTree(Path start) throws IOException {
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
          return FileVisitResult.SKIP_SUBTREE; // not loaded either
        }
        dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void loadAndDeliver() {
    SourceSnapshot snapshot = loader.load();
    loads.incrementAndGet();
    try {
      listener.accept(snapshot);
    } catch (RuntimeException e) {
      LOG.error("Snapshot listener failed on load {}", snapshot.loadGeneration(), e);
    }
  }
}
