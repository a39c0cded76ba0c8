package org.peermesh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.crypto.NodeKeyStore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyAndNeverOverwritesOne(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("keys/node.key");
    assertEquals(0, run("keygen", "--out", key.toString()));
    String peerId = NodeKeyStore.load(key).peerId().toString();
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("peer id: " + peerId), out.toString(StandardCharsets.UTF_8));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String written = Files.readString(key);

    assertEquals(1, run("keygen", "--out", key.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("exists already"));
    assertEquals(written, Files.readString(key));
  }

  @Test
  void aConfigWithAnUnknownKeyIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}, \"maxInbond\": 3}}");
    assertEquals(1, run("node", "--conf", conf.toString()));
    String error = err.toString(StandardCharsets.UTF_8);
    assertTrue(error.contains("'mesh.maxInbond'") && error.contains("did you mean 'maxInbound'"), error);
  }

  @Test
  void usageIsShownForNoOrUnknownCommands() {
    assertEquals(2, run());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage:"));
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    assertEquals(1, run("node"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--conf"));
  }

  @Test
  void aMissingClusterConfigIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("member.json");
    Files.writeString(conf, "{\"mesh\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 0}}, \"dataDir\": \""
        + dir.resolve("data") + "\"}");
    Path missing = dir.resolve("nowhere.xml");
    assertEquals(1, run("node", "--conf", conf.toString(), "--cluster-config", missing.toString()));
    String error = err.toString(StandardCharsets.UTF_8);
    assertTrue(error.contains("cluster config '" + missing + "': no such file"), error);
    assertEquals(0, run("help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--cluster-config FILE"));
  }
}
