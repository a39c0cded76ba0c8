package org.peermesh.peer;

/** The default names of message types in metrics: each class's simple name, looked up once per class. */
final class MessageTypes {

  private static final ClassValue<String> SIMPLE_NAMES = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      String simple = type.getSimpleName();
      return simple.isEmpty() ? type.getName() : simple;
    }
  };

  private MessageTypes() {
  }

  static String simpleName(Class<?> type) {
    return SIMPLE_NAMES.get(type);
  }
}
