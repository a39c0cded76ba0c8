package org.peermesh.antelope.wire;

import java.util.Locale;
import java.util.Optional;

/** nodeos' {@code id_list_modes}: what the ids of a {@link SelectIds} stand for. */
public enum IdListMode {
  NONE(0),
  CATCH_UP(1),
  LAST_IRR_CATCH_UP(2),
  NORMAL(3);

  private static final IdListMode[] BY_CODE = values();

  private final int code;

  IdListMode(int code) {
    this.code = code;
  }

  /** The mode of {@code code}, empty for a code nodeos does not define. */
  public static Optional<IdListMode> ofCode(long code) {
    return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[(int) code]) : Optional.empty();
  }

  public int code() {
    return code;
  }

  /** nodeos' enumerator name, e.g. {@code "catch_up"}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
