package org.peermesh.bench;

import java.util.List;

/**
 * One benchmark scenario: it starts what it measures (nodes in this JVM, child JVMs, foreign peers), warms up,
 * measures {@link BenchOptions#rounds()} rounds and returns one {@link Figure} per reported figure. Everything it
 * started is stopped before it returns, so scenarios run one after another on a quiet machine.
 */
public interface Scenario {

  /** The name given on the command line. */
  String name();

  /** One line saying what is measured, for {@code bench --list}. */
  String description();

  List<Figure> run(BenchOptions options, BenchLog log) throws Exception;
}
