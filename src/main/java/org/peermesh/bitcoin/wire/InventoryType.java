package org.peermesh.bitcoin.wire;

import java.util.Optional;

/**
 * The object types an {@link InventoryItem} can name (Core's GetDataMsg). A type not listed here
 * stays a plain number in the item: peers may use types newer than this code.
 */
public enum InventoryType {
  ERROR(0),
  MSG_TX(1),
  MSG_BLOCK(2),
  /** A merkle block for a BIP37 bloom filter. */
  MSG_FILTERED_BLOCK(3),
  /** BIP152 compact block. */
  MSG_CMPCT_BLOCK(4),
  /** BIP339: the hash is a wtxid. */
  MSG_WTX(5),
  /** BIP144: a transaction with its witness. */
  MSG_WITNESS_TX(0x40000001),
  /** BIP144: a block with its transactions' witnesses. */
  MSG_WITNESS_BLOCK(0x40000002),
  /** Defined by Core alongside the other witness types, though not used by it. */
  MSG_FILTERED_WITNESS_BLOCK(0x40000003);

  private final int code;

  InventoryType(int code) {
    this.code = code;
  }

  /** The u32 on the wire, bit for bit. */
  public int code() {
    return code;
  }

  public static Optional<InventoryType> byCode(int code) {
    for (InventoryType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
