package org.peermesh.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.crypto.NodeKeyStore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in-process: what each command prints, and its exit code, which picocli returns to {@link Main}. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyAndNeverOverwritesOne(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("keys/node.key");
    assertEquals(0, run("keygen", "--out", key.toString()));
    String peerId = NodeKeyStore.load(key).peerId().toString();
    assertTrue(out().contains("peer id: " + peerId), out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String written = Files.readString(key);

    assertEquals(1, run("keygen", "--out=" + key));
    assertTrue(err().contains("exists already"), err());
    assertEquals(written, Files.readString(key));
  }

  @Test
  void aConfigWithAnUnknownKeyIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}, \"maxInbond\": 3}}");
    assertEquals(1, run("node", "--conf", conf.toString()));
    assertTrue(err().contains("'mesh.maxInbond'") && err().contains("did you mean 'maxInbound'"), err());
    // --conf=FILE is the same option: the file is read, and refused for the same key.
    assertEquals(1, run("node", "--conf=" + conf));
    assertTrue(err().contains("'mesh.maxInbond'"), err());
  }

  @Test
  void eventBusMetricsWithoutAnHttpSectionToServeThemIsAUsageError(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}}, \"dataDir\": \""
        + dir.resolve("data") + "\"}");
    assertEquals(2, run("node", "--conf", conf.toString(), "--eventbus-metrics"));
    assertTrue(err().contains("--eventbus-metrics needs an http section in " + conf), err());
    assertFalse(Files.exists(dir.resolve("data")), "a node started");
  }

  @Test
  void aMissingClusterConfigIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("member.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}}, \"dataDir\": \""
        + dir.resolve("data") + "\"}");
    Path missing = dir.resolve("nowhere.xml");
    assertEquals(1, run("node", "--conf", conf.toString(), "--cluster-config", missing.toString()));
    assertTrue(err().contains("cluster config '" + missing + "': no such file"), err());
  }

  /**
   * The port of {@code key} is taken: the start fails once, naming the key and the address, and the key the node
   * created in its fresh data directory is gone. The node's own log goes to System.err, captured here too, so that
   * the message is seen printed once in all.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mesh.listen.port", "bridge.port"})
  void aPortInUseIsNamedByItsKeyOnceAndLeavesNoKeyBehind(String key, @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      JsonObject config = new JsonObject().put("dataDir", data.toString())
          .put("mesh", new JsonObject().put("listen", new JsonObject().put("host", "127.0.0.1")
              .put("port", key.startsWith("mesh") ? port : 0)));
      if (key.startsWith("bridge")) {
        config.put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", port));
      }
      Path conf = dir.resolve("node.json");
      Files.writeString(conf, config.encode());
      PrintStream systemErr = System.err;
      int exit;
      try {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        exit = run("node", "--conf", conf.toString());
      } finally {
        System.setErr(systemErr);
      }
      assertEquals(1, exit, err());
      String message = "error: " + key + " " + port + " on 127.0.0.1 is in use";
      assertTrue(err().contains(message + System.lineSeparator()), err());
      assertEquals(1, err().split(" is in use", -1).length - 1, err());
      assertFalse(Files.exists(data.resolve("node.key")), "the key the failed start created");
      assertFalse(Files.exists(data.resolve("peerbook.json")), "an empty peer book");
    }
  }

  @Test
  void noCommandAnUnknownOneOrAMissingOptionIsAUsageError() {
    assertEquals(2, run());
    assertTrue(err().contains("Missing required subcommand") && err().contains("Usage: java -jar peermesh.jar"),
        err());
    assertEquals(2, run("nod"));
    assertTrue(err().contains("Unmatched argument at index 0: 'nod'") && err().contains("Did you mean: java -jar peermesh.jar node?"), err());
    assertEquals(2, run("node"));
    assertTrue(err().contains("Missing required option: '--conf=FILE'"), err());
    assertEquals(2, run("example", "ecko"));
    assertTrue(err().contains("Did you mean: example echo?"), err());
  }

  @Test
  void anUnknownOptionIsRefusedWithASuggestionBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}}, \"dataDir\": \""
        + data + "\"}");
    assertEquals(2, run("node", "--conf", conf.toString(), "--clustr"));
    assertTrue(err().contains("Unknown option: '--clustr'") && err().contains("--cluster"), err());
    assertEquals("", out());
    assertFalse(Files.exists(data), "the node did not start");

    assertEquals(2, run("bench", "--fast"));
    assertTrue(err().contains("Unknown option: '--fast'"), err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "keygen", "example", "example echo", "example find-city", "example antelope-watch",
      "example devp2p", "example consumer", "bench", "health"})
  void everyCommandsHelpPrintsItsUsageAndRunsNothing(String command, @TempDir Path dir) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    Path key = dir.resolve("node.key");
    if (command.equals("keygen")) {
      args.addAll(List.of("--out", key.toString()));
    }
    args.add("--help");
    assertEquals(0, run(args.toArray(String[]::new)));
    assertTrue(out().startsWith("Usage: java -jar peermesh.jar " + command + " "), out());
    assertTrue(out().contains("-h, --help"), out());
    assertEquals("", err());
    // What each would have printed had it run: a key, an example's end, a cluster joined, a bench table.
    assertFalse(Files.exists(key));
    assertFalse(out().lines().anyMatch(line -> line.startsWith("peer id:") || line.matches("example \\S+ done")
        || line.startsWith("cluster:") || line.startsWith("PeerMesh bench,")), out());
  }

  @Test
  void helpNamesTheCommandsAndTheExitCodes() {
    assertEquals(0, run("--help"));
    for (String command : List.of("node", "keygen", "example", "bench", "health", "help")) {
      assertTrue(out().contains("\n  " + command + " "), command + " in " + out());
    }
    assertTrue(out().contains("Exit codes:") && out().contains("2   usage error"), out());
    assertEquals(0, run("help", "node"));
    assertTrue(out().startsWith("Usage: java -jar peermesh.jar node ") && out().contains("--cluster-config=FILE"),
        out());
  }

  @Test
  void versionIsTheProjectsAsMavenFilteredIt() {
    assertEquals(0, run("--version"));
    assertTrue(out().matches("PeerMesh \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\RJava .*\\R"), out());
    assertEquals(0, run("-V"));
    assertTrue(out().startsWith("PeerMesh "), out());
  }

  @Test
  void benchRefusesValuesNoRunCouldUseAsUsageErrors() {
    assertEquals(2, run("bench", "--rounds", "0"));
    assertTrue(err().contains("--rounds must be at least 1, not 0"), err());
    assertEquals(2, run("bench", "--payload=1"));
    assertTrue(err().contains("--payload must be at least 2, not 1"), err());
    assertEquals(2, run("bench", "--seconds", "-1"));
    assertTrue(err().contains("--seconds must be above 0"), err());
    assertEquals(2, run("bench", "--peers", "many"));
    assertTrue(err().contains("'many' is not an int"), err());
    assertEquals(2, run("bench", "strem"));
    assertTrue(err().contains("unknown scenario 'strem' (stream, devp2p, request"), err());
    assertEquals(0, run("bench", "--list"));
    assertTrue(out().startsWith("stream "), out());
  }
}
