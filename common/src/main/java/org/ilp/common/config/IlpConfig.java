package org.ilp.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one config loader. Precedence, highest first (written down here and in conf/application.conf):
 * <ol>
 *   <li>CLI options ({@code --warehouse DIR} and friends), passed as {@code cliOverrides};</li>
 *   <li>{@code --set key=value} pairs;</li>
 *   <li>{@code --conf FILE} (HOCON);</li>
 *   <li>{@code conf/application.conf} (the embedded defaults, read from the classpath).</li>
 * </ol>
 * Secrets ({@code ilp.secrets.*} and any key containing password/secret/token/key) are masked by
 * {@link #describe()}.
 */
public final class IlpConfig {
  public static final String DEFAULTS_RESOURCE = "conf/application.conf";

  private final Config config;

  private IlpConfig(Config config) {
    this.config = config;
  }

  public static IlpConfig defaults() {
    return load(null, List.of(), Map.of());
  }

  /**
   * @param confFile optional HOCON file ({@code --conf}); must exist when given
   * @param sets {@code key=value} strings ({@code --set}); a value is parsed as HOCON (numbers,
   *     booleans, lists) and falls back to a plain string
   * @param cliOverrides already-typed overrides from CLI options
   */
  public static IlpConfig load(Path confFile, List<String> sets, Map<String, Object> cliOverrides) {
    Config defaults = ConfigFactory.parseResources(DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config file = ConfigFactory.empty();
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) {
        throw new IllegalArgumentException("--conf file not found: " + confFile.toAbsolutePath());
      }
      file = ConfigFactory.parseFile(confFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }
    Config setConfig = ConfigFactory.empty();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects key=value, got '" + s + "'");
      }
      String key = s.substring(0, eq).trim();
      String value = s.substring(eq + 1).trim();
      Config one;
      try {
        one = ConfigFactory.parseString(key + " = " + value);
      } catch (ConfigException e) {
        one = ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
      }
      setConfig = one.withFallback(setConfig);
    }
    Config cli = ConfigFactory.empty();
    for (Map.Entry<String, Object> e : cliOverrides.entrySet()) {
      if (e.getValue() != null) {
        cli = cli.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
      }
    }
    Config merged = cli.withFallback(setConfig).withFallback(file).withFallback(defaults)
        .withFallback(ConfigFactory.systemEnvironment().atPath("env")).resolve();
    return new IlpConfig(merged);
  }

  public Config raw() {
    return config;
  }

  public String getString(String path) {
    return config.getString(path);
  }

  public int getInt(String path) {
    return config.getInt(path);
  }

  public boolean getBoolean(String path) {
    return config.getBoolean(path);
  }

  public List<String> getStringList(String path) {
    return config.getStringList(path);
  }

  public Path warehouse() {
    return Path.of(config.getString("ilp.warehouse")).toAbsolutePath().normalize();
  }

  public Path landing() {
    return Path.of(config.getString("ilp.landing")).toAbsolutePath().normalize();
  }

  /** Spark settings passed through verbatim from {@code ilp.spark.extra}. */
  public Map<String, String> sparkExtra() {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.hasPath("ilp.spark.extra")) {
      for (Map.Entry<String, ConfigValue> e : config.getObject("ilp.spark.extra").entrySet()) {
        out.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return out;
  }

  private static String unquote(String k) {
    return k.startsWith("\"") && k.endsWith("\"") ? k.substring(1, k.length() - 1) : k;
  }

  /** The effective {@code ilp.*} config as sorted key = value lines, secrets masked. */
  public List<String> describe() {
    Map<String, String> flat = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getConfig("ilp").entrySet()) {
      String key = "ilp." + e.getKey();
      String value = e.getValue().render(ConfigRenderOptions.concise());
      flat.put(key, isSecret(key) ? "****" : value);
    }
    List<String> lines = new ArrayList<>();
    flat.forEach((k, v) -> lines.add(k + " = " + v));
    return lines;
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase();
    return k.startsWith("ilp.secrets.") || k.contains("password") || k.contains("secret")
        || k.contains("token") || k.endsWith("-key") || k.endsWith(".key");
  }
}
