package org.peermesh.devp2p.discv4;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.peermesh.devp2p.discovery.Neighbor;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.discovery.NodeTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One iterative Kademlia lookup as geth's {@code lookup.go} runs it: keep the {@value NodeTable#BUCKET_SIZE} nodes
 * closest to the target seen so far, ask the closest not yet asked for their neighbours of the target,
 * {@value #ALPHA} at a time, and stop when every one of the closest has been asked. A node that does not answer
 * leaves the result. Single-threaded: the queries complete on the service's context.
 */
final class Lookup {

  /** Kademlia's alpha, geth's: queries in flight at once. */
  static final int ALPHA = 3;

  private final byte[] targetHash;
  private final Function<Neighbor, Future<List<Neighbor>>> query;
  private final Comparator<Neighbor> byDistance;
  private final List<Neighbor> closest = new ArrayList<>();
  private final Set<NodeId> seen = new HashSet<>();
  private final Set<NodeId> asked = new HashSet<>();
  private final Promise<List<Neighbor>> done = Promise.promise();
  private int inFlight;

  /**
   * A lookup of {@code target} starting from {@code seeds} (the table's closest), asking each node through
   * {@code query}, whose future holds the node's answer.
   */
  Lookup(NodeId target, List<Neighbor> seeds, Function<Neighbor, Future<List<Neighbor>>> query) {
    this.targetHash = target.keccak();
    this.query = query;
    this.byDistance = Comparator.comparing(node -> distance(node.id().keccak()), Arrays::compareUnsigned);
    seeds.forEach(this::offer);
  }

  /** Runs the lookup; the future holds the closest nodes that answered, closest first. */
  Future<List<Neighbor>> run() {
    advance();
    return done.future();
  }

  private void advance() {
    for (Neighbor node : List.copyOf(closest)) {
      if (inFlight >= ALPHA) {
        break;
      }
      if (asked.add(node.id())) {
        inFlight++;
        query.apply(node).onComplete(answer -> {
          inFlight--;
          if (answer.succeeded()) {
            answer.result().forEach(this::offer);
          } else {
            closest.remove(node);
          }
          advance();
        });
      }
    }
    if (inFlight == 0) {
      done.tryComplete(List.copyOf(closest));
    }
  }

  /** Takes a node into the closest, if it is new and closer than the farthest kept (or there is room). */
  private void offer(Neighbor node) {
    if (!seen.add(node.id())) {
      return;
    }
    int at = 0;
    while (at < closest.size() && byDistance.compare(closest.get(at), node) < 0) {
      at++;
    }
    if (at < NodeTable.BUCKET_SIZE) {
      closest.add(at, node);
      if (closest.size() > NodeTable.BUCKET_SIZE) {
        closest.remove(NodeTable.BUCKET_SIZE);
      }
    }
  }

  private byte[] distance(byte[] hash) {
    byte[] xor = new byte[hash.length];
    for (int i = 0; i < xor.length; i++) {
      xor[i] = (byte) (hash[i] ^ targetHash[i]);
    }
    return xor;
  }
}
