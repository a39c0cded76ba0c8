package org.peermesh.testing.bitcoin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drains the output of a foreign process on daemon threads, so that it never blocks on a full pipe, echoes each line
 * to the test log with a prefix and keeps the last lines for the message of a failure.
 */
final class ProcessOutput {

  private static final int KEPT_LINES = 40;

  private final String name;
  private final Deque<String> last = new ArrayDeque<>();

  ProcessOutput(String name) {
    this.name = name;
  }

  /** Reads a stream to its end on a daemon thread; each line goes to the log, the kept lines and {@code onLine}. */
  Thread drain(InputStream stream, String label, Consumer<String> onLine) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println(name + " " + label + ": " + line);
          synchronized (last) {
            last.addLast(label + ": " + line);
            if (last.size() > KEPT_LINES) {
              last.removeFirst();
            }
          }
          onLine.accept(line);
        }
      } catch (IOException ignored) {
        // The process is gone; its exit code and last lines tell what happened.
      }
    }, name + "-" + label);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** The last lines read, oldest first. */
  List<String> lastLines() {
    synchronized (last) {
      return new ArrayList<>(last);
    }
  }

  String describeLastLines() {
    List<String> lines = lastLines();
    return lines.isEmpty() ? "(no output)" : "last output:\n  " + String.join("\n  ", lines);
  }
}
