package org.peermesh.config;

/**
 * An options class the {@link ConfigBinder} fills from a config section: each key is a field, declared once with its
 * default; the rules a field's type cannot say (ranges, syntax, rules between keys) are checked here.
 */
public interface Configurable {

  /** Reports every value that breaks a rule; nested sections are checked by the binder on their own. */
  void check(Checks checks);
}
