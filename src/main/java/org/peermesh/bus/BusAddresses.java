package org.peermesh.bus;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The event-bus addresses of one node: the only place that spells them. Every address starts with the node's
 * {@code busPrefix} (default {@code peermesh}), so that several nodes can share one Vert.x instance or cluster.
 */
public final class BusAddresses {

  public static final String DEFAULT_PREFIX = "peermesh";

  private final String prefix;

  public BusAddresses(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
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
    return prefix + ".event." + event.eventName();
  }

  /**
   * Where a decoded Bitcoin message is published, one address per command ({@code <prefix>.bitcoin.block}), as bitcore
   * emits one event per message type. Only commands of lowercase letters and digits that are not one of the names
   * below get an address of their own; any other command reaches {@link #bitcoinMessage()} only.
   */
  public String bitcoin(String command) {
    return prefix + ".bitcoin." + command;
  }

  /** Where every Bitcoin message received is published with its raw payload (p2p-node's {@code message}). */
  public String bitcoinMessage() {
    return prefix + ".bitcoin.message";
  }

  /** Where a Bitcoin peer's state changes are published (p2p-node's {@code stateChange}). */
  public String bitcoinStateChange() {
    return prefix + ".bitcoin.stateChange";
  }

  /** Where a Bitcoin peer's protocol violations and socket errors are published (p2p-node's {@code error}). */
  public String bitcoinError() {
    return prefix + ".bitcoin.error";
  }

  /** Command: dial a Bitcoin peer ({@code host}, {@code port}, optional {@code proxy}); the reply is its info. */
  public String bitcoinConnect() {
    return prefix + ".bitcoin.command.connect";
  }

  /** Command: send one message to the Bitcoin peer named by {@code peer}. */
  public String bitcoinSend() {
    return prefix + ".bitcoin.command.send";
  }

  /** Command: disconnect the Bitcoin peer named by {@code peer}. */
  public String bitcoinDisconnect() {
    return prefix + ".bitcoin.command.disconnect";
  }

  /** Command: list the connected Bitcoin peers. */
  public String bitcoinPeers() {
    return prefix + ".bitcoin.command.peers";
  }

  /** The mailbox of one Bitcoin peer's verticle; internal, not bridged. */
  public String bitcoinPeer(String peer) {
    return prefix + ".bitcoin.peer." + peer;
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

  /** Internal: where a member of a clustered node hands the bans it decides to the other members. */
  public String clusterBan() {
    return prefix + ".cluster.ban";
  }

  /**
   * Internal: a command address served by this JVM only. A member's Java API sends there, so that a command issued
   * on a member is routed from that member rather than from any member of the cluster, one hop less.
   */
  public String local(String commandAddress) {
    return commandAddress + ".local";
  }

  /** Every command address, in the order the README lists them. */
  public List<String> commands() {
    return List.of(send(), broadcast(), request(), sendToPeer(), requestFromPeer(), applyNodeInfo(), applyPenalty(),
        peers(), bitcoinConnect(), bitcoinSend(), bitcoinDisconnect(), bitcoinPeers());
  }

  /**
   * Matches the addresses a bridge client may register on: messages, events and procedures it serves, and the
   * Bitcoin events (one segment after {@code bitcoin}, which leaves out the Bitcoin commands and mailboxes).
   */
  public String consumableAddressRegex() {
    return Pattern.quote(prefix) + "\\.((message|event|rpc)\\..+|bitcoin\\.[A-Za-z0-9]+)";
  }
}
