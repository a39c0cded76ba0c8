package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node under test of a scenario, alone in a {@link ChildJvm} so that its heap and RSS are its own. Started with
 * {@code <maxPeers>}: one node on 127.0.0.1 that takes that many inbound peers, answering procedure
 * {@value #ECHO} with the request's data. It prints {@code ready <port> <peerId>}, then answers commands on
 * standard input, one line each:
 * <ul>
 *   <li>{@code gc}: collects until the used heap settles, prints {@code memory <heapUsedBytes> <rssBytes>};</li>
 *   <li>{@code await-peers <count>}: waits until the node lists that many connected peers, prints
 *   {@code peers <count>}.</li>
 * </ul>
 * End of input stops the node and the JVM.
 */
public final class NodeProcess {

  public static final String ECHO = "echo";
  private static final int MAX_GC_PASSES = 10;
  /** Two passes this close in used heap mean nothing more is left to collect or finalize. */
  private static final long SETTLED_BYTES = 256 * 1024;

  private NodeProcess() {
  }

  public static void main(String[] args) throws IOException {
    int maxPeers = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    BenchNodes nodes = new BenchNodes(vertx);
    NodeOptions options = nodes.options();
    options.getMesh().setMaxInbound(maxPeers);
    PeerMeshNode node = nodes.start(options);
    vertx.eventBus().<JsonObject>consumer(node.addresses().rpc(ECHO), m -> m.reply(m.body().getValue("data")));
    System.out.println("ready " + node.listenAddress().port() + " " + node.peerId());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] command = line.trim().split(" ");
        switch (command[0]) {
          case "gc" -> System.out.println("memory " + settledHeapBytes() + " " + rssBytes());
          case "await-peers" -> {
            int count = Integer.parseInt(command[1]);
            BenchNodes.awaitCondition(count + " connected peers",
                () -> BenchNodes.await(node.getConnectedPeers()).size() == count);
            System.out.println("peers " + count);
          }
          default -> System.err.println("NodeProcess: unknown command " + line);
        }
      }
    } finally {
      nodes.close();
      BenchNodes.await(vertx.close());
    }
  }

  /** The used heap after full collections, repeated until it no longer drops: what the JVM keeps. */
  public static long settledHeapBytes() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long used = memory.getHeapMemoryUsage().getUsed();
    for (int pass = 1; pass < MAX_GC_PASSES; pass++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      boolean settled = Math.abs(used - now) < SETTLED_BYTES;
      used = now;
      if (settled) {
        break;
      }
    }
    return used;
  }

  /** The resident set, from /proc/self/status (Linux): heap, native memory and code alike. */
  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
