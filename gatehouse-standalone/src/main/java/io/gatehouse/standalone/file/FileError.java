package io.gatehouse.standalone.file;

import static java.util.Objects.requireNonNull;

/**
 * A problem found in one file of the configuration directory.
 *
 * @param path the file, relative to the configuration directory
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 when unknown
 * @param message what is wrong, naming the field where there is one
 */
public record FileError(String path, int line, int column, String message) {
  public FileError {
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ":" + line + ":" + column + ": " + message;
  }
}
