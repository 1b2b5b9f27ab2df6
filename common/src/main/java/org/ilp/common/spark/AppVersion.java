package org.ilp.common.spark;

/** The project version, from the jar manifest or the build's filtered resource. */
public final class AppVersion {
  private AppVersion() {}

  public static String get() {
    try (var in = AppVersion.class.getResourceAsStream("/ilp-version.properties")) {
      if (in != null) {
        var p = new java.util.Properties();
        p.load(in);
        return p.getProperty("version", "dev");
      }
    } catch (java.io.IOException ignored) {
      // fall through
    }
    return "dev";
  }
}
