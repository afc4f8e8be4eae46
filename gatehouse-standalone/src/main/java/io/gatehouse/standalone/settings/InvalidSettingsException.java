package io.gatehouse.standalone.settings;

/**
 * A settings file that cannot be used. The message is complete and meant for the user: the file,
 * the field's path and what is allowed, e.g. {@code settings.yaml: timeouts.requestHeaders: "10x"
 * is not a duration (examples: 10s, 500ms, 1h)}.
 */
public final class InvalidSettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSettingsException(String message) {
    super(message);
  }
}
