package org.peermesh.config;

import io.vertx.core.json.Json;
import org.peermesh.net.PeerAddress;

import java.util.List;
import java.util.function.Predicate;

/**
 * Where an options class reports the values that break its rules: each report names the key with its full path
 * ({@code config key 'mesh.seedPeers[2].port': expected an integer from 1 to 65535, got 0}), and checking goes on,
 * so every problem of a config is reported at once.
 */
public final class Checks {

  private static final int MAX_RENDERED_VALUE = 60;

  private final String path;
  private final List<String> problems;

  Checks(String path, List<String> problems) {
    this.path = path;
    this.problems = problems;
  }

  /** The full path of {@code key} in this section. */
  private String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Reports {@code config key 'KEY': MESSAGE}. */
  public void problem(String key, String message) {
    problems.add("config key '" + path(key) + "': " + message);
  }

  /** Reports {@code config key 'KEY': expected EXPECTED, got VALUE} unless {@code ok}; returns {@code ok}. */
  public boolean expect(boolean ok, String key, String expected, Object got) {
    if (!ok) {
      problems.add(message(path(key), expected, got));
    }
    return ok;
  }

  public boolean between(String key, long value, long min, long max) {
    return expect(value >= min && value <= max, key, "an integer from " + min + " to " + max, value);
  }

  public boolean atLeast(String key, long value, long min) {
    return expect(value >= min, key, "an integer >= " + min, value);
  }

  /** A string that must be present and pass {@code rule}, described as {@code expected}. */
  public boolean text(String key, String value, String expected, Predicate<String> rule) {
    return expect(value != null && rule.test(value), key, expected, value);
  }

  /** An optional string: null passes. */
  public boolean optionalText(String key, String value, String expected, Predicate<String> rule) {
    return value == null || text(key, value, expected, rule);
  }

  /** An optional address whose port must be from {@code minPort} to 65535 (0 lets the system choose one). */
  public void address(String key, PeerAddress address, int minPort) {
    if (address != null) {
      between(key + ".port", address.port(), minPort, 65535);
    }
  }

  /** A list of addresses, each {@code key[i]} with a port from {@code minPort} to 65535. */
  public void addresses(String key, List<PeerAddress> addresses, int minPort) {
    for (int i = 0; i < addresses.size(); i++) {
      address(key + "[" + i + "]", addresses.get(i), minPort);
    }
  }

  /** {@code config key 'PATH': expected EXPECTED, got VALUE}, the value as it would appear in JSON. */
  static String message(String fullPath, String expected, Object got) {
    return "config key '" + fullPath + "': expected " + expected + ", got " + render(got);
  }

  /** A value as it would appear in JSON (strings quoted), shortened when long. */
  static String render(Object value) {
    String text;
    try {
      text = value instanceof CharSequence ? Json.encode(value.toString()) : Json.encode(value);
    } catch (RuntimeException e) {
      text = "<" + value.getClass().getName() + ">";
    }
    if (text.length() > MAX_RENDERED_VALUE) {
      text = text.substring(0, MAX_RENDERED_VALUE - 3) + "...";
    }
    return text;
  }
}
