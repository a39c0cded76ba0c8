package org.peermesh.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages of the product show its architecture: each concern in its own package, and no package depending on
 * one that depends back on it. Read from the sources' package and import lines.
 */
class PackageDependenciesTest {

  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Pattern PACKAGE = Pattern.compile("^package (org\\.peermesh[\\w.]*);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(org\\.peermesh(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void noPackageDependsOnOneThatDependsBackOnIt() {
    Map<String, Set<String>> dependencies = dependencies();
    List<Set<String>> cycles = stronglyConnected(dependencies).stream().filter(component -> component.size() > 1)
        .toList();
    assertEquals(List.of(), cycles, () -> "package cycles; the dependencies: " + dependencies);
  }

  @Test
  void onlyTheCommandLineRunsTheBench() {
    Map<String, Set<String>> dependencies = dependencies();
    Set<String> usersOfTheBench = new TreeSet<>();
    dependencies.forEach((from, to) -> {
      if (to.contains("org.peermesh.bench") && !from.equals("org.peermesh.bench")) {
        usersOfTheBench.add(from);
      }
    });
    assertEquals(Set.of("org.peermesh.cli"), usersOfTheBench);
  }

  /** Each package of the main sources with the packages it imports from. */
  private static Map<String, Set<String>> dependencies() {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
        String source = read(file);
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
          return;
        }
        Set<String> imports = graph.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
          if (!imported.group(1).equals(pkg.group(1))) {
            imports.add(imported.group(1));
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tarjan's strongly connected components. */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> components = new ArrayList<>();
    int[] next = {0};
    for (String start : graph.keySet()) {
      if (!index.containsKey(start)) {
        visit(start, graph, index, low, stack, onStack, components, next);
      }
    }
    return components;
  }

  private static void visit(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                            Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                            List<Set<String>> components, int[] next) {
    index.put(node, next[0]);
    low.put(node, next[0]);
    next[0]++;
    stack.push(node);
    onStack.add(node);
    for (String target : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(target)) {
        visit(target, graph, index, low, stack, onStack, components, next);
        low.put(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.contains(target)) {
        low.put(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      components.add(component);
    }
  }
}
