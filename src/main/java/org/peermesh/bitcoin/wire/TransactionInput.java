package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A transaction input: the output it spends (previous txid and output index), its scriptSig and
 * sequence, and its BIP141 witness stack (empty for a legacy input). The witness is serialized
 * apart from the rest, after all outputs; see {@link Transaction}.
 *
 * <pre>
 * prevTxid 32 bytes | prevIndex u32 | scriptSig CompactSize-length bytes | sequence u32
 * </pre>
 *
 * JSON: {@code {"prevTxid": display hex, "prevIndex": n, "scriptSig": hex, "sequence": n, "witness": [hex, ...]}}.
 */
public final class TransactionInput {

  /** Serialized size of the smallest input: empty scriptSig, witness not counted. */
  static final int MIN_SIZE = Sha256Hash.LENGTH + 4 + 1 + 4;

  private final Sha256Hash prevTxid;
  private final long prevIndex;
  private final byte[] scriptSig;
  private final long sequence;
  private final List<byte[]> witness;

  /**
   * @param prevIndex u32; 0xffffffff with a zero prevTxid marks a coinbase
   * @param scriptSig copied
   * @param sequence u32
   * @param witness the witness stack, items copied; empty for none
   */
  public TransactionInput(Sha256Hash prevTxid, long prevIndex, byte[] scriptSig, long sequence, List<byte[]> witness) {
    this(prevTxid, prevIndex, scriptSig, sequence, witness, true);
  }

  /**
   * @param copy false to take {@code scriptSig} and the witness items as they are: arrays the decoder made, or
   *     another input's, which nobody changes
   */
  private TransactionInput(Sha256Hash prevTxid, long prevIndex, byte[] scriptSig, long sequence, List<byte[]> witness,
      boolean copy) {
    this.prevTxid = Objects.requireNonNull(prevTxid, "prevTxid");
    this.prevIndex = Fields.requireU32(prevIndex, "prevIndex");
    Objects.requireNonNull(scriptSig, "scriptSig");
    this.scriptSig = copy ? scriptSig.clone() : scriptSig;
    this.sequence = Fields.requireU32(sequence, "sequence");
    Objects.requireNonNull(witness, "witness");
    if (copy) {
      List<byte[]> copies = new ArrayList<>(witness.size());
      witness.forEach(item -> copies.add(Objects.requireNonNull(item, "witness item").clone()));
      this.witness = List.copyOf(copies);
    } else {
      this.witness = List.copyOf(witness);
    }
  }

  /** Reads the input without its witness, which comes later in the transaction. */
  static TransactionInput read(PayloadReader in, String field) {
    return new TransactionInput(
        in.hash(field + ".prevTxid"),
        in.u32(field + ".prevIndex"),
        in.varBytes(field + ".scriptSig", Integer.MAX_VALUE),
        in.u32(field + ".sequence"),
        List.of(),
        false);
  }

  /** Writes the input without its witness. */
  void writeTo(PayloadWriter out) {
    out.hash(prevTxid).u32(prevIndex).varBytes(scriptSig).u32(sequence);
  }

  /**
   * This input with {@code witness} as its stack, whose items it takes as they are (the decoder's fresh arrays): how
   * reading adds the stacks that follow the outputs. The scriptSig is shared, not copied.
   */
  TransactionInput withWitness(List<byte[]> witness) {
    return new TransactionInput(prevTxid, prevIndex, scriptSig, sequence, witness, false);
  }

  static TransactionInput fromJson(JsonFields json) {
    return new TransactionInput(json.parsed("prevTxid", BitcoinJson.HASH), json.u32("prevIndex"), json.hex("scriptSig"),
        json.u32("sequence"), json.strings("witness", JsonFields::parseHex));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("prevTxid", prevTxid.toString())
        .put("prevIndex", prevIndex)
        .put("scriptSig", JsonFields.hex(scriptSig))
        .put("sequence", sequence)
        .put("witness", JsonFields.arrayOf(witness, JsonFields::hex));
  }

  public Sha256Hash prevTxid() {
    return prevTxid;
  }

  public long prevIndex() {
    return prevIndex;
  }

  /** A copy. */
  public byte[] scriptSig() {
    return scriptSig.clone();
  }

  public long sequence() {
    return sequence;
  }

  /** The witness stack; copies of the items. */
  public List<byte[]> witness() {
    List<byte[]> copies = new ArrayList<>(witness.size());
    witness.forEach(item -> copies.add(item.clone()));
    return copies;
  }

  public boolean hasWitness() {
    return !witness.isEmpty();
  }

  /** Witness items for serialization, not copied: callers in this package only read them. */
  List<byte[]> witnessItems() {
    return witness;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof TransactionInput that)) {
      return false;
    }
    if (witness.size() != that.witness.size()) {
      return false;
    }
    for (int i = 0; i < witness.size(); i++) {
      if (!Arrays.equals(witness.get(i), that.witness.get(i))) {
        return false;
      }
    }
    return prevTxid.equals(that.prevTxid) && prevIndex == that.prevIndex && Arrays.equals(scriptSig, that.scriptSig)
        && sequence == that.sequence;
  }

  @Override
  public int hashCode() {
    int hash = Objects.hash(prevTxid, prevIndex, Arrays.hashCode(scriptSig), sequence);
    for (byte[] item : witness) {
      hash = 31 * hash + Arrays.hashCode(item);
    }
    return hash;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
