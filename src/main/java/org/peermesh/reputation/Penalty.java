package org.peermesh.reputation;

/**
 * The penalties the node applies by itself (LIP 0004); an application applies its own amounts through the
 * {@code applyPenalty} command. A peer starts at 100 and is banned at 0.
 */
public enum Penalty {
  /** A frame that cannot be decoded, or a message out of place: the peer is not speaking the protocol. */
  MALFORMED_FRAME(100),
  /** A getPeers answer that is not a list of addresses. */
  INVALID_PEER_LIST(100),
  /** A nodeInfo that is not an object or is over maxPeerInfoSize. */
  INVALID_NODE_INFO(100),
  /** getPeers or getNodeInfo asked again within rateCalculationInterval. */
  PROTOCOL_REQUEST_RATE(10),
  /** More than {@value #NODE_INFO_PUSHES_PER_WINDOW} nodeInfo pushes within {@value #NODE_INFO_PUSH_WINDOW_MS} ms. */
  NODE_INFO_PUSH_RATE(10),
  /** A request left unanswered past ackTimeout and a grace period. */
  UNANSWERED_REQUEST(2);

  public static final int NODE_INFO_PUSHES_PER_WINDOW = 4;
  public static final long NODE_INFO_PUSH_WINDOW_MS = 10_000;

  private final int amount;

  Penalty(int amount) {
    this.amount = amount;
  }

  public int amount() {
    return amount;
  }

  /**
   * The penalty for a message rate: {@code perStep} for each started {@code limit} messages per second over the
   * limit (default: 10 per 100 msg/s over 100 msg/s), 0 within it.
   */
  public static int forMessageRate(double messagesPerSecond, int limit, int perStep) {
    double over = messagesPerSecond - limit;
    return over <= 0 ? 0 : (int) Math.ceil(over / limit) * perStep;
  }
}
