package org.peermesh.devp2p.eth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Objects;
import org.peermesh.config.Checks;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.Configurable;

/**
 * The {@code eth} section of a node config: which chain our Status names (on eth/68, eth/64 and eth/63), so that
 * peers of that chain keep us and others refuse us (and we them) at the handshake.
 *
 * <pre>
 * "eth": {"networkId": 1, "genesisHash": "0xd4e5...8fa3", "forkId": {"hash": "0x9f3d2254", "next": 0}}
 * </pre>
 *
 * Every key is required: a default chain would let a node configured for another chain's genesis announce the wrong
 * network, and a default fork id goes stale with every fork. Hashes are hex, {@code 0x} optional. The fork id is the
 * chain's current one, as a synced node of it announces it ({@code admin.nodeInfo.protocols.eth.forkId} on geth);
 * {@link ForkId#hashOf} computes one from the genesis hash and the fork points passed.
 */
public final class EthOptions implements Configurable {

  /** The network id, a uint64 in go-ethereum; the ones in use are far below 2^63, the largest JSON integer here. */
  private Long networkId;
  private String genesisHash;
  private ForkIdSection forkId;

  /** The {@code forkId} object: the configured fork id. */
  public static final class ForkIdSection implements Configurable {

    /** 8 hex digits, {@code 0x} optional. */
    private String hash;
    /** The next fork's block number or timestamp; 0 if none is scheduled. */
    private long next;

    /** For the binder, which fills the fields from the section (no other constructor: Jackson could take it). */
    private ForkIdSection() {
    }

    @Override
    public void check(Checks c) {
      c.text("hash", hash, "the fork hash, 8 hex digits (0x optional)", s -> isHex(s, ForkId.HASH_LENGTH));
      c.atLeast("next", next, 0);
    }

    /** The fork id, once {@link #check} passed. */
    public ForkId forkId() {
      return new ForkId(EthFields.parseHex(hash, ForkId.HASH_LENGTH, "forkId.hash"), next);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ForkIdSection other && Objects.equals(hash, other.hash) && next == other.next;
    }

    @Override
    public int hashCode() {
      return Objects.hash(hash, next);
    }
  }

  /** Options with every key missing: they must be set, or bound from a section. */
  public EthOptions() {
  }

  /** The options a section gives, checked. */
  public static EthOptions fromJson(JsonObject json) {
    return ConfigBinder.bind(json, new EthOptions());
  }

  public JsonObject toJson() {
    return ConfigBinder.toJson(this);
  }

  @Override
  public void check(Checks c) {
    if (c.expect(networkId != null, "networkId", "the network id, an integer >= 0", null)) {
      c.atLeast("networkId", networkId, 0);
    }
    c.text("genesisHash", genesisHash, "the genesis block's hash, 64 hex digits (0x optional)",
        s -> isHex(s, StatusMessage.HASH_LENGTH));
    // The section's own keys are checked by the binder, which descends into it.
    c.expect(forkId != null, "forkId", "an object {\"hash\": \"0x\" and 8 hex digits, \"next\": integer}", null);
  }

  /**
   * Our Status, once {@link #check} passed. A node without a chain announces itself as standing at genesis: the
   * genesis hash as its best block and a total difficulty of 0. That is the truth (it holds no block past genesis),
   * so no peer will try to sync from it; and it is what go-ethereum itself sends on eth/68 since the merge, whose
   * {@code handshake68} leaves the difficulty unset (encoded as 0) because proof of stake made it meaningless. The
   * fork id is the configured one, not genesis', since peers check it against their chain's current forks.
   */
  public StatusMessage status() {
    byte[] genesis = EthFields.parseHex(genesisHash, StatusMessage.HASH_LENGTH, "genesisHash");
    return new StatusMessage(StatusMessage.PROTOCOL_VERSION, networkId, BigInteger.ZERO, genesis, genesis,
        forkId.forkId());
  }

  /** Our eth/64 Status, once {@link #check} passed: eth/68's, whose shape it has, with its version. */
  public StatusMessage status64() {
    StatusMessage status = status();
    return new StatusMessage(StatusMessage.ETH64, status.networkId(), status.td(), status.blockHash(),
        status.genesis(), status.forkId());
  }

  /** Our eth/63 Status, once {@link #check} passed: eth/68's fields but the fork id, which eth/63 does not know. */
  public Status63Message status63() {
    StatusMessage status = status();
    return new Status63Message(Status63Message.PROTOCOL_VERSION, status.networkId(), status.td(),
        status.blockHash(), status.genesis());
  }

  private static boolean isHex(String text, int length) {
    try {
      EthFields.parseHex(text, length, "");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public Long getNetworkId() {
    return networkId;
  }

  public EthOptions setNetworkId(long networkId) {
    this.networkId = networkId;
    return this;
  }

  public String getGenesisHash() {
    return genesisHash;
  }

  public EthOptions setGenesisHash(String genesisHash) {
    this.genesisHash = genesisHash;
    return this;
  }

  /** The configured fork id, once {@link #check} passed; null if none is set. */
  public ForkId getForkId() {
    return forkId == null ? null : forkId.forkId();
  }

  public EthOptions setForkId(ForkId forkId) {
    ForkIdSection section = new ForkIdSection();
    section.hash = EthFields.hex(forkId.hash());
    section.next = forkId.next();
    this.forkId = section;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EthOptions other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "EthOptions" + toJson().encode();
  }
}
