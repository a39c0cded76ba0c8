package org.peermesh.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it at once (one per line of the message), so one
 * run shows every mistake in a file.
 */
public final class ConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
