package org.peermesh.selection;

import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.PeerInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The three selection functions of a node. {@link #defaults()} follows LIP 0004; a user replaces any of them with
 * {@link #withSend}, {@link #withRequest} or {@link #withConnection}.
 */
public record PeerSelection(SendSelection send, RequestSelection request, ConnectionSelection connection) {

  public PeerSelection {
    Objects.requireNonNull(send, "send");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(connection, "connection");
  }

  public static PeerSelection defaults() {
    return new PeerSelection(PeerSelection::selectForSend, PeerSelection::selectForRequest,
        PeerSelection::selectForConnection);
  }

  public PeerSelection withSend(SendSelection send) {
    return new PeerSelection(send, request, connection);
  }

  public PeerSelection withRequest(RequestSelection request) {
    return new PeerSelection(send, request, connection);
  }

  public PeerSelection withConnection(ConnectionSelection connection) {
    return new PeerSelection(send, request, connection);
  }

  /**
   * Fixed peers always; then half the remaining slots from outbound and half from inbound peers where both exist,
   * the rest from the longer list, each list in random order.
   */
  static List<PeerInfo> selectForSend(List<PeerInfo> connectedPeers, int peerLimit, String event) {
    Random random = ThreadLocalRandom.current();
    LinkedHashSet<PeerInfo> selected = new LinkedHashSet<>();
    List<PeerInfo> outbound = new ArrayList<>();
    List<PeerInfo> inbound = new ArrayList<>();
    for (PeerInfo peer : connectedPeers) {
      if (peer.fixed()) {
        selected.add(peer);
      } else if (peer.direction() == Direction.OUTBOUND) {
        outbound.add(peer);
      } else {
        inbound.add(peer);
      }
    }
    Collections.shuffle(outbound, random);
    Collections.shuffle(inbound, random);
    int free = Math.max(0, peerLimit - selected.size());
    int fromOutbound = Math.min(outbound.size(), Math.max(free / 2, free - inbound.size()));
    int fromInbound = Math.min(inbound.size(), free - fromOutbound);
    selected.addAll(outbound.subList(0, fromOutbound));
    selected.addAll(inbound.subList(0, fromInbound));
    return List.copyOf(selected);
  }

  /** One peer, outbound preferred: outbound peers were chosen by us, so are harder for an attacker to place. */
  static Optional<PeerInfo> selectForRequest(List<PeerInfo> connectedPeers, String procedure) {
    List<PeerInfo> outbound = connectedPeers.stream().filter(p -> p.direction() == Direction.OUTBOUND).toList();
    List<PeerInfo> pool = outbound.isEmpty() ? connectedPeers : outbound;
    return pool.isEmpty() ? Optional.empty() : Optional.of(pool.get(ThreadLocalRandom.current().nextInt(pool.size())));
  }

  /**
   * LIP 0004: each pick comes from the tried peers with probability max(tried / (tried + new), 0.5), exactly 0.5
   * while fewer than {@value #TRIED_PEERS_FOR_PROPORTIONAL_PICK} are tried, else from the new ones; no address twice.
   * The pool then enforces one connection per IP and {@code MAX_OUTBOUND_PER_NETGROUP} per netgroup.
   */
  static List<PeerAddress> selectForConnection(List<PeerAddress> newPeers, List<PeerAddress> triedPeers, int peerLimit) {
    Random random = ThreadLocalRandom.current();
    List<PeerAddress> tried = new ArrayList<>(triedPeers);
    List<PeerAddress> fresh = new ArrayList<>(newPeers);
    double fromTried = triedPeers.size() < TRIED_PEERS_FOR_PROPORTIONAL_PICK ? 0.5
        : Math.max(0.5, (double) triedPeers.size() / (triedPeers.size() + newPeers.size()));
    LinkedHashSet<PeerAddress> selected = new LinkedHashSet<>();
    while (selected.size() < peerLimit && (!tried.isEmpty() || !fresh.isEmpty())) {
      List<PeerAddress> source = fresh.isEmpty() || (!tried.isEmpty() && random.nextDouble() < fromTried) ? tried : fresh;
      selected.add(source.remove(random.nextInt(source.size())));
    }
    return List.copyOf(selected);
  }

  static final int TRIED_PEERS_FOR_PROPORTIONAL_PICK = 100;
}
