package org.peermesh.bus;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The event-bus addresses of one node: the only place that spells them. Every address starts with the node's
 * {@code busPrefix} (default {@code peermesh}), so that several nodes can share one Vert.x instance or cluster.
 */
public final class BusAddresses {

  public static final String DEFAULT_PREFIX = "peermesh";
  /** The name of the node's own protocol, in peer listings beside the other protocols' names. */
  public static final String MESH = "mesh";

  private final String prefix;
  /**
   * Built once: some events are published per message received, where a new address string would be hashed each
   * time.
   */
  private final Map<PeerEvent, String> eventAddresses = new EnumMap<>(PeerEvent.class);

  public BusAddresses(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    for (PeerEvent event : PeerEvent.values()) {
      eventAddresses.put(event, prefix + ".event." + event.eventName());
    }
  }

  public String prefix() {
    return prefix;
  }

  /** Command: send a message to up to {@code sendPeerLimit} peers chosen by the send selection. */
  public String send() {
    return prefix + ".send";
  }

  /** Command: send a message to every connected peer. */
  public String broadcast() {
    return prefix + ".broadcast";
  }

  /** Command: send a request to one peer chosen by the request selection; the reply is the peer's answer. */
  public String request() {
    return prefix + ".request";
  }

  /** Command: send a message to the peer named by {@code peerId}. */
  public String sendToPeer() {
    return prefix + ".sendToPeer";
  }

  /** Command: send a request to the peer named by {@code peerId}. */
  public String requestFromPeer() {
    return prefix + ".requestFromPeer";
  }

  /** Command: replace this node's nodeInfo and push it to every connected peer. */
  public String applyNodeInfo() {
    return prefix + ".applyNodeInfo";
  }

  /** Command: lower a connected peer's reputation, e.g. for an invalid block; at 0 it is banned. */
  public String applyPenalty() {
    return prefix + ".applyPenalty";
  }

  /** Command: list the connected and disconnected peers. */
  public String peers() {
    return prefix + ".peers";
  }

  /** Where a message with this event name, received from a peer, is published. */
  public String message(String event) {
    return prefix + ".message." + event;
  }

  /** Where a request for this procedure, received from a peer, is sent point to point; the reply answers it. */
  public String rpc(String procedure) {
    return prefix + ".rpc." + procedure;
  }

  /** Where a node event is published. */
  public String event(PeerEvent event) {
    return eventAddresses.get(event);
  }

  /** The addresses of one wire protocol's peers: {@code <prefix>.<protocol>.*}. */
  public ProtocolAddresses protocol(String name) {
    return new ProtocolAddresses(prefix, name);
  }


  /**
   * The address of the bridge's notice of deliveries it dropped for a client that read too slowly. It is not an
   * event-bus address: the bridge writes the notice to that client alone, which needs no registration to get it.
   */
  public String bridgeDropped() {
    return prefix + ".bridge.dropped";
  }

  /**
   * Where the mesh view of the {@code http} section publishes, every second while a browser watches, its snapshot of
   * the node's peers, their traffic and the cluster's members; to this JVM's consumers only, which the view's SockJS
   * bridge forwards.
   */
  public String viewSnapshot() {
    return prefix + ".view.snapshot";
  }

  /**
   * Where the mesh view forwards the peers' state changes of every protocol as they happen, in the layer's state names;
   * to this JVM's consumers only, at most a bounded number a second.
   */
  public String viewStateChange() {
    return prefix + ".view.stateChange";
  }

  /** The mailbox of one connected peer's verticle; internal, not bridged. */
  public String peer(String peerId) {
    return prefix + ".peer." + peerId;
  }

  /** Internal: where the members of a clustered node publish the peers each holds. */
  public String clusterDirectory() {
    return prefix + ".cluster.directory";
  }

  /** Internal: where the member that served {@code applyNodeInfo} hands the new nodeInfo to the other members. */
  public String clusterNodeInfo() {
    return prefix + ".cluster.nodeInfo";
  }

  /**
   * Internal: a command address served by this JVM only. A member's Java API sends there, so that a command issued
   * on a member is routed from that member rather than from any member of the cluster, one hop less.
   */
  public String local(String commandAddress) {
    return commandAddress + ".local";
  }

  /** Every command address of the mesh, in the order the README lists them. */
  public List<String> commands() {
    return List.of(send(), broadcast(), request(), sendToPeer(), requestFromPeer(), applyNodeInfo(), applyPenalty(),
        peers());
  }

  /** Matches the commands of the protocols named: {@code <prefix>.<protocol>.command.<name>}. */
  public String protocolCommandRegex(Collection<String> protocols) {
    return Pattern.quote(prefix) + "\\." + anyOf(protocols) + "\\.command\\.[A-Za-z0-9]+";
  }

  /**
   * Matches the addresses a bridge client may register on: messages, events and procedures it serves, and the
   * messages and events of the protocols named: one segment after the protocol ({@code bitcoin.block}), or a
   * sub-protocol and a message code ({@code devp2p.MyProtocol.0}), which leaves out their commands and mailboxes.
   */
  public String consumableAddressRegex(Collection<String> protocols) {
    return Pattern.quote(prefix) + "\\.((message|event|rpc)\\..+|" + anyOf(protocols)
        + "\\.[A-Za-z0-9_-]+(\\.[0-9]+)?)";
  }

  private static String anyOf(Collection<String> names) {
    return names.isEmpty() ? "(?!)" : names.stream().map(Pattern::quote).collect(Collectors.joining("|", "(", ")"));
  }
}
