package org.peermesh.metrics;

import io.micrometer.core.instrument.Meter;

import java.util.List;

/**
 * Every meter the node registers, in one place: its Micrometer name (the Prometheus name follows from it, the type
 * and the unit: {@code peermesh.messages.received} is {@code peermesh_messages_received_total}), its type, its unit,
 * its tags and what it means. The README's table of metrics lists the same, and a test holds the two together.
 */
public enum Metric {

  PEERS("peermesh.peers", Meter.Type.GAUGE, null,
      "connections of this JVM, by the layer's state (connecting, handshaking, connected)",
      Tag.PROTOCOL, Tag.DIRECTION, Tag.STATE),
  HANDSHAKES("peermesh.handshakes", Meter.Type.COUNTER, null,
      "handshakes ended: ok (established and admitted), refused (a refusal, before or during the handshake), "
          + "failed (timed out, the peer left, the socket failed)",
      Tag.PROTOCOL, Tag.DIRECTION, Tag.OUTCOME),
  HANDSHAKES_REFUSED("peermesh.handshakes.refused", Meter.Type.COUNTER, null,
      "refused handshakes by the refusal's kind, as the error event names it",
      Tag.PROTOCOL, Tag.DIRECTION, Tag.REASON),
  MESSAGES_RECEIVED("peermesh.messages.received", Meter.Type.COUNTER, null,
      "messages received, handshake and keepalive included, by the protocol's name of their type",
      Tag.PROTOCOL, Tag.TYPE),
  RECEIVED_BYTES("peermesh.received", Meter.Type.COUNTER, "bytes",
      "bytes of the messages received, as framed on the wire",
      Tag.PROTOCOL, Tag.TYPE),
  MESSAGES_SENT("peermesh.messages.sent", Meter.Type.COUNTER, null,
      "messages queued to peers, by type",
      Tag.PROTOCOL, Tag.TYPE),
  SENT_BYTES("peermesh.sent", Meter.Type.COUNTER, "bytes",
      "bytes of the messages queued to peers, as framed on the wire",
      Tag.PROTOCOL, Tag.TYPE),
  MESSAGES_DROPPED("peermesh.messages.dropped", Meter.Type.COUNTER, null,
      "messages for peers dropped unsent: write_queue_full and memory_budget (refused with 429 as they would wait for "
          + "room in the peer's queue), ack_timeout (waited ackTimeout, 504)",
      Tag.PROTOCOL, Tag.REASON),
  DISCONNECTS("peermesh.disconnects", Meter.Type.COUNTER, null,
      "connections closed after their socket was open, by close code (write_queue_full: a peer cut off for not "
          + "reading)",
      Tag.PROTOCOL, Tag.DIRECTION, Tag.REASON),
  PENALTIES("peermesh.penalties", Meter.Type.COUNTER, null,
      "penalties charged to peers, for misbehaviour or by applyPenalty",
      Tag.PROTOCOL),
  BANS("peermesh.bans", Meter.Type.COUNTER, null,
      "peers banned by this JVM's penalties",
      Tag.PROTOCOL),
  REQUEST_DURATION("peermesh.request.duration", Meter.Type.TIMER, "seconds",
      "requests to peers (outbound) and from peers served by a local consumer (inbound), until answered or "
          + "given up, as a histogram, by outcome (ok, failed, timeout, disconnected)",
      Tag.PROTOCOL, Tag.DIRECTION, Tag.OUTCOME),
  MEMORY_BUDGET_LIMIT("peermesh.memory.budget.limit", Meter.Type.GAUGE, "bytes",
      "the memory budget: what this JVM's peers and bridge clients may buffer in all (memoryBudgetPercent)"),
  MEMORY_BUDGET_TAKEN("peermesh.memory.budget.taken", Meter.Type.GAUGE, "bytes",
      "what they buffer now, of the budget"),
  CLUSTER_MEMBERS("peermesh.cluster.members", Meter.Type.GAUGE, null,
      "members of the cluster as this member sees them, itself included; only in a clustered node"),
  CLUSTER_PEERS("peermesh.cluster.peers", Meter.Type.GAUGE, null,
      "mesh peers connected to the node, on every member; only in a clustered node"),
  BRIDGE_CONNECTIONS("peermesh.bridge.connections", Meter.Type.GAUGE, null,
      "TCP bridge clients connected; only with a bridge section"),
  BRIDGE_DELIVERIES_DROPPED("peermesh.bridge.deliveries.dropped", Meter.Type.COUNTER, null,
      "deliveries the TCP bridge dropped for clients that read too slowly; only with a bridge section");

  /** The tags' names. */
  public static final class Tag {
    public static final String PROTOCOL = "protocol";
    public static final String DIRECTION = "direction";
    public static final String STATE = "state";
    public static final String TYPE = "type";
    public static final String REASON = "reason";
    public static final String OUTCOME = "outcome";

    private Tag() {
    }
  }

  private final String meterName;
  private final Meter.Type type;
  private final String baseUnit;
  private final String description;
  private final List<String> tags;

  Metric(String meterName, Meter.Type type, String baseUnit, String description, String... tags) {
    this.meterName = meterName;
    this.type = type;
    this.baseUnit = baseUnit;
    this.description = description;
    this.tags = List.of(tags);
  }

  /** The Micrometer name. */
  public String meterName() {
    return meterName;
  }

  public Meter.Type type() {
    return type;
  }

  /** The unit the Prometheus name ends with; null for a count. */
  public String baseUnit() {
    return baseUnit;
  }

  /** What it means: the Prometheus HELP text. */
  public String description() {
    return description;
  }

  /** Its tags' names, in the README's order. */
  public List<String> tags() {
    return tags;
  }
}
