package io.gatehouse.proxy.http;

/**
 * User event fired into a downstream connection whose listener was removed: an idle connection
 * closes at once, a busy one after its current response (which carries {@code Connection: close}
 * when its head was not yet sent).
 */
public enum DrainEvent {
  INSTANCE
}
