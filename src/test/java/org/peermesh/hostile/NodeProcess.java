package org.peermesh.hostile;

import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A node started from the built jar ({@code java -Xmx… -jar peermesh.jar node --conf FILE}) as a JVM of its own, the
 * way an operator runs it, with a small heap so that an attack that makes the node hold memory without bound shows
 * as an {@code OutOfMemoryError} within seconds. Its config is generated in a temporary directory of the test, with
 * its own data directory and free ports on 127.0.0.1: the mesh (unless turned off), the TCP bridge, and a Bitcoin
 * listener if the config has a {@code bitcoin} section.
 *
 * <p>The JVM runs with {@code -XX:+ExitOnOutOfMemoryError}: a heap exhausted by an attack ends the node at once with
 * "Terminating due to java.lang.OutOfMemoryError" in its output instead of leaving a crippled process, so a test sees
 * the failure as it happens. Netty's {@code OutOfDirectMemoryError} (socket buffers beyond the direct-memory limit,
 * which is the heap size) does not end the JVM; it is logged, and {@link #assertNoOutOfMemory} finds it there.
 *
 * <p>The live heap is measured as the JDK's tools measure it: {@code jcmd PID GC.run} (a full collection), then
 * {@code jcmd PID GC.heap_info}, whose "used" is what survived it.
 */
final class NodeProcess implements AutoCloseable {

  /** The heap every node of these tests gets: the old behaviour runs out of it under each attack. */
  static final int DEFAULT_XMX_MB = 160;
  static final String NETWORK = "peermesh-test";
  static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration TOOL_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private final String name;
  private final Path output;
  private final Process process;
  private final int xmxMb;
  private final JsonObject config;

  private NodeProcess(String name, Path output, Process process, int xmxMb, JsonObject config) {
    this.name = name;
    this.output = output;
    this.process = process;
    this.xmxMb = xmxMb;
    this.config = config;
  }

  // ------------------------------------------------------------------------------------------------------- config

  /**
   * A mesh node's config: data directory under {@code dir}, the mesh on 127.0.0.1 at a free port in the test
   * network, the bridge on 127.0.0.1 at a free port. Change it before {@link #start}.
   */
  static JsonObject meshConfig(Path dir, String name) {
    return new JsonObject()
        .put("dataDir", dir.resolve(name + "-data").toString())
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
        .put("mesh", new JsonObject()
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
            .put("networkId", NETWORK)
            .put("nodeInfo", new JsonObject().put("name", name)));
  }

  /** A Bitcoin-only node's config: the mesh off, a regtest listener on 127.0.0.1 at a free port, the bridge. */
  static JsonObject bitcoinConfig(Path dir, String name) {
    return new JsonObject()
        .put("dataDir", dir.resolve(name + "-data").toString())
        .put("mesh", false)
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
        .put("bitcoin", new JsonObject()
            .put("network", "regtest")
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", freePort())));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------------------- start

  static NodeProcess start(Path dir, String name, JsonObject config) {
    return start(dir, name, config, DEFAULT_XMX_MB);
  }

  /** Starts the jar with {@code config} and waits until it printed its bridge line, the last line of its start. */
  static NodeProcess start(Path dir, String name, JsonObject config, int xmxMb) {
    try {
      Path conf = dir.resolve(name + ".json");
      Files.writeString(conf, config.encodePrettily());
      Path output = dir.resolve(name + ".out");
      List<String> command = new ArrayList<>(List.of(java("java"), "-Xmx" + xmxMb + "m",
          "-XX:+ExitOnOutOfMemoryError", "-jar", System.getProperty("peermesh.jar", "target/peermesh.jar"),
          "node", "--conf", conf.toString()));
      Process process = new ProcessBuilder(command)
          .redirectOutput(output.toFile())
          .redirectErrorStream(true)
          .start();
      NodeProcess node = new NodeProcess(name, output, process, xmxMb, config);
      await().atMost(START_DEADLINE).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError(name + " ended at start (" + process.exitValue() + "): " + node.output());
        }
        return node.output().contains("bridge:");
      });
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java(String tool) {
    Path inJdk = Path.of(System.getProperty("java.home"), "bin", tool);
    return Files.isExecutable(inJdk) ? inJdk.toString() : tool;
  }

  // ------------------------------------------------------------------------------------------------- addresses

  PeerAddress meshAddress() {
    return address(config.getJsonObject("mesh").getJsonObject("listen"));
  }

  PeerAddress bitcoinAddress() {
    return address(config.getJsonObject("bitcoin").getJsonObject("listen"));
  }

  int bridgePort() {
    return config.getJsonObject("bridge").getInteger("port");
  }

  private static PeerAddress address(JsonObject listen) {
    return new PeerAddress(listen.getString("host"), listen.getInteger("port"));
  }

  int xmxMb() {
    return xmxMb;
  }

  long pid() {
    return process.pid();
  }

  // --------------------------------------------------------------------------------------------------- checking

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The end of the node's output, for a failure message. */
  String tail() {
    String text = output();
    return "\n----- " + name + " output (last 3000 chars)\n" + text.substring(Math.max(0, text.length() - 3000));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void assertAlive() {
    if (!process.isAlive()) {
      assertNoOutOfMemory();
      throw new AssertionError(name + " is no longer running (exit code " + process.exitValue() + ")" + tail());
    }
  }

  /** Fails if the node ran out of heap or of direct memory at any time: its output names the error. */
  void assertNoOutOfMemory() {
    String text = output();
    for (String error : List.of("OutOfMemoryError", "OutOfDirectMemoryError")) {
      int at = text.indexOf(error);
      if (at >= 0) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        int lineEnd = text.indexOf('\n', at);
        throw new AssertionError(name + " ran out of memory: \""
            + text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd).strip() + "\"" + tail());
      }
    }
  }

  /**
   * The heap that survives a full collection, in bytes: what the node holds, garbage aside. Fails if the JVM has
   * ended (an exhausted heap ends it) or the tools cannot reach it.
   */
  long liveHeapBytes() {
    assertAlive();
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher used = HEAP_USED.matcher(info);
    if (!used.find()) {
      throw new AssertionError("no heap figure in jcmd GC.heap_info: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** Asserts that the live heap is at most half of -Xmx: the node holds what its limits allow, not what it is sent. */
  void assertHeapBounded(String during) {
    assertNoOutOfMemory();
    long live = liveHeapBytes();
    long bound = xmxMb * 1024L * 1024 / 2;
    System.out.println(name + ": " + live / 1024 / 1024 + " MiB of live heap " + during);
    if (live > bound) {
      throw new AssertionError(name + " holds " + live / 1024 / 1024 + " MiB of live heap " + during
          + ", over half of its -Xmx" + xmxMb + "m" + tail());
    }
  }

  private String jcmd(String command) {
    try {
      Process tool = new ProcessBuilder(java("jcmd"), String.valueOf(process.pid()), command)
          .redirectErrorStream(true).start();
      if (!tool.waitFor(TOOL_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        tool.destroyForcibly();
        throw new AssertionError("jcmd " + command + " got no answer from " + name + " within " + TOOL_DEADLINE
            + tail());
      }
      String text = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (tool.exitValue() != 0) {
        assertAlive();
        throw new AssertionError("jcmd " + command + " failed (" + tool.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
