package org.peermesh.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One measured round of bench.js: its rate per second, and for requests the round-trip percentiles in microseconds
 * (NaN for the message workloads, which measure no round trip).
 */
public record LiskRound(double rate, double p50Micros, double p99Micros) {

  /** Parses a line bench.js printed, {@code {"workload","round","rate"}} plus {@code "p50us","p99us"} for requests. */
  public static LiskRound parse(String line) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException e) {
      throw new IllegalStateException("bench.js printed a line that is not JSON: " + line, e);
    }
    Double rate = json.getDouble("rate");
    if (rate == null || !(rate > 0)) {
      throw new IllegalStateException("bench.js printed a round without a positive rate: " + line);
    }
    return new LiskRound(rate, json.getDouble("p50us", Double.NaN), json.getDouble("p99us", Double.NaN));
  }
}
