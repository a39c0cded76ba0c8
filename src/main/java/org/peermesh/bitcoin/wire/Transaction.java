package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A transaction, in the legacy serialization or BIP144's extended one, which Core reads and writes
 * as follows:
 *
 * <pre>
 * legacy:   version int32 | inputs | outputs | lockTime u32
 * extended: version int32 | 0x00 marker | 0x01 flag | inputs | outputs | one witness stack per input | lockTime u32
 * inputs:   count CompactSize | count x {@link TransactionInput}
 * outputs:  count CompactSize | count x {@link TransactionOutput}
 * witness:  count CompactSize | count x (CompactSize length | bytes)
 * </pre>
 *
 * The extended form is written when, and only when, some input has a witness. Reading follows
 * Core: an input count of 0 is the marker, the next byte the flags; flags other than 1, or a
 * witness flag with every stack empty, are refused. Hence the {@link #txid()}, which leaves the
 * witness out, and the {@link #wtxid()}, which keeps it, differ exactly for segwit transactions.
 *
 * <p>JSON: {@code {"txid", "wtxid", "version", "inputs": [input, ...], "outputs": [output, ...],
 * "lockTime"}}; {@code txid} and {@code wtxid} are derived and ignored by {@link #fromJson}.
 */
public final class Transaction {

  /** Serialized size of the smallest transaction: no inputs, no outputs. */
  static final int MIN_SIZE = 4 + 1 + 1 + 4;

  private static final int SEGWIT_MARKER = 0x00;
  private static final int WITNESS_FLAG = 0x01;

  private final int version;
  private final List<TransactionInput> inputs;
  private final List<TransactionOutput> outputs;
  private final long lockTime;
  /**
   * The ids, computed on first use. Unsynchronized: threads racing on the first call each compute the same immutable
   * value, as String caches its hash.
   */
  private Sha256Hash txid;
  private Sha256Hash wtxid;

  /** @param lockTime u32 */
  public Transaction(int version, List<TransactionInput> inputs, List<TransactionOutput> outputs, long lockTime) {
    this.version = version;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.lockTime = Fields.requireU32(lockTime, "lockTime");
  }

  /** @param serialized exactly one transaction, legacy or BIP144 */
  public static Transaction decode(Buffer serialized) {
    return PayloadReader.decode("transaction", serialized, in -> read(in, "tx"));
  }

  /** The serialization with witnesses, as a {@code tx} message and a block carry it. */
  public Buffer serialize() {
    PayloadWriter out = new PayloadWriter();
    writeTo(out, true);
    return out.buffer();
  }

  /** SHA-256d of the serialization without witnesses: the id inputs spend from and blocks commit to. */
  public Sha256Hash txid() {
    Sha256Hash id = txid;
    if (id == null) {
      PayloadWriter out = new PayloadWriter();
      writeTo(out, false);
      id = Sha256Hash.hashTwice(out.buffer());
      txid = id;
    }
    return id;
  }

  /** SHA-256d of the serialization with witnesses (BIP141); the txid for a transaction without any. */
  public Sha256Hash wtxid() {
    Sha256Hash id = wtxid;
    if (id == null) {
      id = hasWitness() ? Sha256Hash.hashTwice(serialize()) : txid();
      wtxid = id;
    }
    return id;
  }

  public boolean hasWitness() {
    return inputs.stream().anyMatch(TransactionInput::hasWitness);
  }

  static Transaction read(PayloadReader in, String field) {
    int version = in.int32(field + ".version");
    List<TransactionInput> inputs = readInputs(in, field);
    List<TransactionOutput> outputs;
    int flagsOffset = in.position();
    int flags = 0;
    if (inputs.isEmpty()) {
      // The empty input list was the BIP144 marker, or the transaction really has no inputs and
      // this byte is its (empty) output count: either way, Core reads it as the flags.
      flags = in.u8(field + ".flags");
      if (flags != 0) {
        inputs = readInputs(in, field);
        outputs = readOutputs(in, field);
      } else {
        outputs = List.of();
      }
    } else {
      outputs = readOutputs(in, field);
    }
    if ((flags & WITNESS_FLAG) != 0) {
      flags ^= WITNESS_FLAG;
      int witnessOffset = in.position();
      List<List<byte[]>> stacks = readWitnesses(in, field, inputs.size());
      if (stacks.stream().allMatch(List::isEmpty)) {
        throw in.invalid(field + ".witness", witnessOffset, "is a superfluous witness record: every stack is empty");
      }
      inputs = withWitnesses(inputs, stacks);
    }
    if (flags != 0) {
      throw in.invalid(field + ".flags", flagsOffset, "has unknown optional data flags 0x" + Integer.toHexString(flags));
    }
    return new Transaction(version, inputs, outputs, in.u32(field + ".lockTime"));
  }

  private static List<TransactionInput> readInputs(PayloadReader in, String field) {
    return in.list(field + ".inputs", Integer.MAX_VALUE, TransactionInput.MIN_SIZE, TransactionInput::read);
  }

  private static List<TransactionOutput> readOutputs(PayloadReader in, String field) {
    return in.list(field + ".outputs", Integer.MAX_VALUE, TransactionOutput.MIN_SIZE, TransactionOutput::read);
  }

  /** One witness stack per input, in input order; the items are fresh arrays, handed to the inputs uncopied. */
  private static List<List<byte[]>> readWitnesses(PayloadReader in, String field, int inputCount) {
    List<List<byte[]>> stacks = new ArrayList<>(inputCount);
    for (int i = 0; i < inputCount; i++) {
      stacks.add(in.list(field + ".inputs[" + i + "].witness", Integer.MAX_VALUE, 1,
          (item, itemField) -> item.varBytes(itemField, Integer.MAX_VALUE)));
    }
    return stacks;
  }

  /** The inputs with their stacks; an input with an empty stack is kept as read. */
  private static List<TransactionInput> withWitnesses(List<TransactionInput> inputs, List<List<byte[]>> stacks) {
    List<TransactionInput> witnessed = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      List<byte[]> stack = stacks.get(i);
      witnessed.add(stack.isEmpty() ? inputs.get(i) : inputs.get(i).withWitness(stack));
    }
    return witnessed;
  }

  void writeTo(PayloadWriter out, boolean withWitness) {
    boolean extended = withWitness && hasWitness();
    out.int32(version);
    if (extended) {
      out.u8(SEGWIT_MARKER).u8(WITNESS_FLAG);
    }
    out.list(inputs, TransactionInput::writeTo).list(outputs, TransactionOutput::writeTo);
    if (extended) {
      inputs.forEach(input -> out.list(input.witnessItems(), (item, stack) -> stack.varBytes(item)));
    }
    out.u32(lockTime);
  }

  static Transaction fromJson(JsonFields json) {
    return new Transaction(json.i32("version"), json.objects("inputs", TransactionInput::fromJson),
        json.objects("outputs", TransactionOutput::fromJson), json.u32("lockTime"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("txid", txid().toString())
        .put("wtxid", wtxid().toString())
        .put("version", version)
        .put("inputs", JsonFields.arrayOf(inputs, TransactionInput::toJson))
        .put("outputs", JsonFields.arrayOf(outputs, TransactionOutput::toJson))
        .put("lockTime", lockTime);
  }

  public int version() {
    return version;
  }

  public List<TransactionInput> inputs() {
    return inputs;
  }

  public List<TransactionOutput> outputs() {
    return outputs;
  }

  public long lockTime() {
    return lockTime;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Transaction that && version == that.version && lockTime == that.lockTime
        && inputs.equals(that.inputs) && outputs.equals(that.outputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, inputs, outputs, lockTime);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
