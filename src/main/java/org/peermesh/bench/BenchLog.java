package org.peermesh.bench;

/** Progress lines, on standard error so that the table on standard output stays clean. */
@FunctionalInterface
public interface BenchLog {

  void line(String text);
}
