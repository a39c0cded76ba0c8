package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * A block's header: what its id is the hash of. JSON (wharfkit's names, flat in a signed block's object):
 * {@code timeSlot, producer, confirmed, previous, transaction_mroot, action_mroot, schedule_version, new_producers}
 * (only when present) and {@code header_extensions}.
 *
 * @param timestamp u32 half-second slots since 2000-01-01
 * @param producer a name's u64 ({@link AntelopeName})
 * @param confirmed u16
 * @param scheduleVersion u32
 */
public record BlockHeader(long timestamp, long producer, int confirmed, Checksum256 previous,
    Checksum256 transactionMroot, Checksum256 actionMroot, long scheduleVersion,
    Optional<ProducerSchedule> newProducers, List<Extension> headerExtensions) {

  public BlockHeader {
    FcRange.u32("timestamp", timestamp);
    FcRange.u16("confirmed", confirmed);
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(transactionMroot, "transactionMroot");
    Objects.requireNonNull(actionMroot, "actionMroot");
    FcRange.u32("scheduleVersion", scheduleVersion);
    Objects.requireNonNull(newProducers, "newProducers");
    headerExtensions = List.copyOf(headerExtensions);
  }

  public static BlockHeader decode(FcReader in) {
    return new BlockHeader(in.u32("timestamp"), in.name("producer"), in.u16("confirmed"), in.checksum256("previous"),
        in.checksum256("transaction_mroot"), in.checksum256("action_mroot"), in.u32("schedule_version"),
        in.optional("new_producers", ProducerSchedule::decode),
        in.vector("header_extensions", Extension.MIN_ENCODED_SIZE, Extension::decode));
  }

  static BlockHeader fromJson(JsonFields in) {
    return new BlockHeader(in.u32("timeSlot"), in.parsed("producer", FcJson.NAME), in.u16("confirmed"),
        in.parsed("previous", FcJson.CHECKSUM256), in.parsed("transaction_mroot", FcJson.CHECKSUM256),
        in.parsed("action_mroot", FcJson.CHECKSUM256), in.u32("schedule_version"),
        in.optionalObject("new_producers").map(ProducerSchedule::fromJson),
        in.objects("header_extensions", Extension::fromJson));
  }

  public static BlockHeader fromJson(JsonObject json) {
    return fromJson(FcJson.of(json));
  }

  /** The block's number: one past its parent's, which the parent's id carries. */
  public long blockNum() {
    return previous.blockNumOfId() + 1;
  }

  /** The block id: SHA-256 of the packed header with its first 4 bytes replaced by the block number, big-endian. */
  public Checksum256 id() {
    FcWriter packed = new FcWriter();
    encode(packed);
    return Checksum256.sha256(packed.buffer().getBytes()).withBlockNum(blockNum());
  }

  public void encode(FcWriter out) {
    out.u32(timestamp).name(producer).u16(confirmed).checksum256(previous).checksum256(transactionMroot)
        .checksum256(actionMroot).u32(scheduleVersion)
        .optional(newProducers, (writer, schedule) -> schedule.encode(writer))
        .vector(headerExtensions, (writer, extension) -> extension.encode(writer));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("timeSlot", timestamp)
        .put("producer", AntelopeName.toText(producer))
        .put("confirmed", confirmed)
        .put("previous", previous.toHex())
        .put("transaction_mroot", transactionMroot.toHex())
        .put("action_mroot", actionMroot.toHex())
        .put("schedule_version", scheduleVersion);
    newProducers.ifPresent(schedule -> json.put("new_producers", schedule.toJson()));
    return json.put("header_extensions", JsonFields.arrayOf(headerExtensions, Extension::toJson));
  }
}
