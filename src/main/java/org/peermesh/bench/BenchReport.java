package org.peermesh.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run: printed as a table, written as JSON, each ratio taken against a figure of this run. */
public final class BenchReport {

  private final Map<String, Figure> figures = new LinkedHashMap<>();

  public void add(Figure figure) {
    if (figures.putIfAbsent(figure.name(), figure) != null) {
      throw new IllegalStateException("figure " + figure.name() + " reported twice");
    }
  }

  public List<Figure> figures() {
    return List.copyOf(figures.values());
  }

  /** The figure this one is compared with, if it was measured in this run. */
  private Figure comparison(Figure figure) {
    return figure.comparedWith() == null ? null : figures.get(figure.comparedWith());
  }

  public JsonObject toJson() {
    JsonArray scenarios = new JsonArray();
    for (Figure figure : figures.values()) {
      Figure other = comparison(figure);
      scenarios.add(new JsonObject()
          .put("name", figure.name())
          .put("unit", figure.unit())
          .put("median", figure.median())
          .put("min", figure.min())
          .put("max", figure.max())
          .put("baseline", other == null ? null
              : new JsonObject().put("name", other.name()).put("median", other.median()))
          .put("ratio", other == null ? null : figure.ratio(other.median())));
    }
    return new JsonObject().put("scenarios", scenarios);
  }

  public void print(PrintStream out) {
    String format = "%-28s %12s %12s %12s  %-9s %s%n";
    out.printf(Locale.ROOT, format, "figure", "median", "min", "max", "unit", "ratio");
    for (Figure figure : figures.values()) {
      Figure other = comparison(figure);
      String ratio = "";
      if (other != null) {
        double value = figure.ratio(other.median());
        ratio = figure.foreign()
            ? String.format(Locale.ROOT, "%.2fx: PeerMesh's %s over this", value, other.name())
            : String.format(Locale.ROOT, "%.2fx vs %s", value, other.name());
      }
      out.printf(Locale.ROOT, format, figure.name(), number(figure.median()), number(figure.min()),
          number(figure.max()), figure.unit(), ratio);
    }
  }

  /** Three significant figures at least, no exponent: figures span microseconds to millions per second. */
  static String number(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (value >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
