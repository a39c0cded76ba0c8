package org.peermesh.antelope.wire;

import java.util.Locale;
import java.util.Optional;

/** nodeos' {@code go_away_reason}, by its code on the wire, with nodeos' own words for each ({@code reason_str}). */
public enum GoAwayReason {
  NO_REASON(0, "no reason"),
  SELF(1, "self connect"),
  DUPLICATE(2, "duplicate"),
  WRONG_CHAIN(3, "wrong chain"),
  WRONG_VERSION(4, "wrong version"),
  FORKED(5, "chain is forked"),
  UNLINKABLE(6, "unlinkable block received"),
  BAD_TRANSACTION(7, "bad transaction"),
  VALIDATION(8, "invalid block"),
  BENIGN_OTHER(9, "some other non-fatal condition"),
  FATAL_OTHER(10, "some other failure"),
  AUTHENTICATION(11, "authentication failure");

  private static final GoAwayReason[] BY_CODE = values();

  private final int code;
  private final String description;

  GoAwayReason(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The reason of {@code code}, empty for a code nodeos does not define. */
  public static Optional<GoAwayReason> ofCode(long code) {
    return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[(int) code]) : Optional.empty();
  }

  public int code() {
    return code;
  }

  /** nodeos' {@code reason_str}, as its logs write it. */
  public String description() {
    return description;
  }

  /** nodeos' enumerator name, e.g. {@code "wrong_chain"}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
