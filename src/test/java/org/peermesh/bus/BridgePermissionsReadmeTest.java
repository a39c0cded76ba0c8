package org.peermesh.bus;

import org.junit.jupiter.api.Test;
import org.peermesh.antelope.peer.AntelopeProtocol;
import org.peermesh.bitcoin.peer.BitcoinProtocol;
import org.peermesh.devp2p.peer.RlpxProtocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The README's table of what a bridge client may reach says what {@link BridgePermissions} decides, both ways: every
 * address the table's patterns give is permitted for the table's operations and no other, and every address the node
 * spells, permitted or not, is in the table exactly when the code permits it. A change to either fails here until the
 * other follows.
 */
class BridgePermissionsReadmeTest {

  private static final Path README = Path.of("README.md");
  private static final String MARKER = "<!-- bridge-permissions:";
  private static final List<String> PROTOCOLS =
      List.of(BusAddresses.MESH, BitcoinProtocol.NAME, AntelopeProtocol.NAME, RlpxProtocol.NAME);
  private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z]+>");
  /** What each placeholder stands for, as the README's legend under the table says. */
  private static final Map<String, String> MEANING = Map.of(
      "<protocol>", PROTOCOLS.stream().map(Pattern::quote).collect(Collectors.joining("|", "(", ")")),
      "<command>", "[A-Za-z0-9]+",
      "<name>", "[A-Za-z0-9_-]+",
      "<code>", "[0-9]+",
      "<any>", ".+");
  /** Values each placeholder is tried with. */
  private static final Map<String, List<String>> SAMPLES = Map.of(
      "<protocol>", PROTOCOLS,
      "<command>", List.of("connect", "send", "peers"),
      "<name>", List.of("block", "stateChange", "message", "error", "MyProtocol", "my_type-2"),
      "<code>", List.of("0", "16"),
      "<any>", List.of("chat", "banPeer", "a.b.c"));

  private final BusAddresses addresses = new BusAddresses(BusAddresses.DEFAULT_PREFIX);
  private final BridgePermissions permissions = BridgePermissions.of(addresses, PROTOCOLS);

  /** One row: the operations the README allows and its address pattern. */
  private record Row(String operations, String address) {

    boolean allowsWriting() {
      return operations.equals("send, publish");
    }

    Pattern pattern() {
      StringBuilder regex = new StringBuilder();
      Matcher placeholder = PLACEHOLDER.matcher(address);
      int literal = 0;
      while (placeholder.find()) {
        String meaning = MEANING.get(placeholder.group());
        if (meaning == null) {
          throw new AssertionError("the README's table has a placeholder this test does not know: " + address);
        }
        regex.append(Pattern.quote(address.substring(literal, placeholder.start()))).append(meaning);
        literal = placeholder.end();
      }
      return Pattern.compile(regex.append(Pattern.quote(address.substring(literal))).toString());
    }

    /** The addresses the pattern gives with every sample of each placeholder. */
    List<String> samples() {
      List<String> samples = List.of(address);
      Matcher placeholder = PLACEHOLDER.matcher(address);
      while (placeholder.find()) {
        String name = placeholder.group();
        samples = samples.stream().flatMap(sample -> SAMPLES.get(name).stream()
            .map(value -> sample.replaceFirst(Pattern.quote(name), Matcher.quoteReplacement(value)))).toList();
      }
      return samples;
    }
  }

  @Test
  void theReadmesTableSaysWhatTheCodePermits() throws IOException {
    List<Row> rows = rows();
    assertFalse(rows.isEmpty(), "no table after " + MARKER + " in the README");

    Set<String> addressesTried = new LinkedHashSet<>();
    rows.forEach(row -> addressesTried.addAll(row.samples()));
    addressesTried.addAll(addressesTheNodeSpells());
    Map<String, String> readme = new TreeMap<>();
    Map<String, String> code = new TreeMap<>();
    for (String address : addressesTried) {
      readme.put(address, verdict(rows.stream().anyMatch(r -> r.allowsWriting() && r.pattern().matcher(address).matches()),
          rows.stream().anyMatch(r -> !r.allowsWriting() && r.pattern().matcher(address).matches())));
      code.put(address, verdict(permissions.mayWrite(address), permissions.mayRegister(address)));
    }

    assertEquals(readme, code, "what the README's table permits (expected) and what the code permits (actual)");
  }

  private static String verdict(boolean write, boolean register) {
    return (write ? "send, publish" : "") + (write && register ? "; " : "") + (register ? "register, unregister" : "")
        + (write || register ? "" : "denied");
  }

  /** Every kind of address the node spells, for the mesh, the other protocols and one it does not run. */
  private List<String> addressesTheNodeSpells() {
    List<String> spelled = new ArrayList<>(addresses.commands());
    addresses.commands().forEach(command -> spelled.add(addresses.local(command)));
    spelled.addAll(List.of(addresses.peer("3734f75"), addresses.clusterDirectory(), addresses.clusterNodeInfo(),
        addresses.bridgeDropped(), addresses.message("chat"), addresses.rpc("height"), addresses.prefix(),
        addresses.prefix() + ".message", addresses.send() + "X", "x" + addresses.send(), "other.address",
        addresses.viewSnapshot(), addresses.viewStateChange()));
    for (PeerEvent event : PeerEvent.values()) {
      spelled.add(addresses.event(event));
    }
    for (String protocol : List.of(BusAddresses.MESH, BitcoinProtocol.NAME, AntelopeProtocol.NAME, RlpxProtocol.NAME,
        "notRun")) {
      ProtocolAddresses of = addresses.protocol(protocol);
      spelled.addAll(List.of(of.command("connect"), of.peer("127.0.0.1:18444"), of.clusterBan(), of.raw(),
          of.stateChange(), of.error(), of.message("block"), of.message("MyProtocol") + ".0"));
    }
    BusAddresses otherNode = new BusAddresses("other");
    spelled.addAll(List.of(otherNode.send(), otherNode.message("chat"), otherNode.protocol(BitcoinProtocol.NAME)
        .command("send")));
    return spelled;
  }

  /** The rows of the table that follows the marker: {@code | operations | `address` |}. */
  private static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int at = 0;
    while (at < lines.size() && !lines.get(at).startsWith(MARKER)) {
      at++;
    }
    List<Row> rows = new ArrayList<>();
    Pattern row = Pattern.compile("\\| ([a-z, ]+) \\| `([^`]+)` \\|");
    // The marker, the table's header and its separator line come first.
    for (int i = at + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher cells = row.matcher(lines.get(i));
      if (!cells.matches() || !Set.of("send, publish", "register, unregister").contains(cells.group(1))) {
        throw new AssertionError("a row of the README's bridge permissions this test cannot read: " + lines.get(i));
      }
      rows.add(new Row(cells.group(1), cells.group(2)));
    }
    return rows;
  }
}
