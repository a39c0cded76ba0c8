package org.peermesh.bench;

import org.peermesh.net.PeerAddress;

import java.time.Duration;
import java.util.List;

/** The bench's side of a {@link NodeProcess}: its address and id, and its commands as methods. */
final class NodeUnderTest implements AutoCloseable {

  /** Holding thousands of peers takes a while to settle: a full GC of a large heap, or thousands of closes. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

  /** The child's used heap after GC and its resident set, in bytes. */
  record Memory(long heapBytes, long rssBytes) {
  }

  private final ChildJvm jvm;
  private final PeerAddress address;
  private final String peerId;

  private NodeUnderTest(ChildJvm jvm, PeerAddress address, String peerId) {
    this.jvm = jvm;
    this.address = address;
    this.peerId = peerId;
  }

  /** Starts a node that takes {@code maxPeers} inbound peers, in a JVM of its own with the given options. */
  static NodeUnderTest start(List<String> jvmOptions, int maxPeers) {
    ChildJvm jvm = ChildJvm.start("node under test", jvmOptions, NodeProcess.class, List.of(String.valueOf(maxPeers)));
    try {
      String[] ready = jvm.await("ready ", ANSWER_TIMEOUT).split(" ");
      return new NodeUnderTest(jvm, new PeerAddress("127.0.0.1", Integer.parseInt(ready[1])), ready[2]);
    } catch (RuntimeException e) {
      jvm.close();
      throw e;
    }
  }

  PeerAddress address() {
    return address;
  }

  String peerId() {
    return peerId;
  }

  Memory memoryAfterGc() {
    jvm.send("gc");
    String[] memory = jvm.await("memory ", ANSWER_TIMEOUT).split(" ");
    return new Memory(Long.parseLong(memory[1]), Long.parseLong(memory[2]));
  }

  /** Returns once the node lists exactly {@code count} connected peers. */
  void awaitPeers(int count) {
    jvm.send("await-peers " + count);
    jvm.await("peers " + count, ANSWER_TIMEOUT);
  }

  @Override
  public void close() {
    jvm.close();
  }
}
