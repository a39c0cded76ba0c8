package org.peermesh.http;

import org.junit.jupiter.api.Test;
import org.peermesh.bus.BusAddresses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's table of what a client of the mesh view's SockJS bridge may reach says what {@link ViewBridge}
 * permits, both ways: each row is a permission of the code, and each permission of the code a row.
 */
class ViewBridgePermissionsReadmeTest {

  private static final Path README = Path.of("README.md");
  private static final String MARKER = "<!-- view-bridge-permissions:";
  private static final String REGISTER = "register, unregister";
  private static final String WRITE = "send, publish";

  @Test
  void theReadmesTableSaysWhatTheBridgePermits() throws IOException {
    BusAddresses addresses = new BusAddresses(BusAddresses.DEFAULT_PREFIX);
    Set<String> code = new TreeSet<>();
    ViewBridge.outboundAddresses(addresses).forEach(address -> code.add(REGISTER + " " + address));
    ViewBridge.inboundAddresses(addresses).forEach(address -> code.add(WRITE + " " + address));

    Set<String> readme = rows();
    assertTrue(!readme.isEmpty(), "no table after " + MARKER + " in the README");
    assertEquals(code, readme, "what the README's table permits (expected) and what the code permits (actual)");
  }

  /** The rows of the table that follows the marker, each as "operations address". */
  private static Set<String> rows() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int at = 0;
    while (at < lines.size() && !lines.get(at).startsWith(MARKER)) {
      at++;
    }
    Set<String> rows = new TreeSet<>();
    Pattern row = Pattern.compile("\\| ([a-z, ]+) \\| `([^`]+)` \\|");
    // The marker, the table's header and its separator line come first.
    for (int i = at + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher cells = row.matcher(lines.get(i));
      if (!cells.matches() || !Set.of(REGISTER, WRITE).contains(cells.group(1))) {
        throw new AssertionError("a row of the README's view bridge permissions this test cannot read: "
            + lines.get(i));
      }
      rows.add(cells.group(1) + " " + cells.group(2));
    }
    return rows;
  }
}
