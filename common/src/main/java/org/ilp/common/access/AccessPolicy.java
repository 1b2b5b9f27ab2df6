package org.ilp.common.access;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import org.ilp.common.config.IlpConfig;
import org.ilp.common.spark.UsageError;

/**
 * What the account running a command may consult, from {@code ilp.access} (see conf/application.conf): its role
 * ({@code ILP_ROLE}, an analyst when unset), whether that role's SQL is read-only, which tables it may not read at all,
 * and which tables need a stated purpose. One instance per command; {@link SqlGuard} applies it to statements.
 *
 * @param user            who, for the logs: {@code ilp.access.user} (ILP_ANALYST_ID) or else the OS user
 * @param role            the role's name
 * @param roleOrigin      where the role was set (the config file and line, or the environment), for the access log
 * @param readOnly        true when the role's SQL is read-only ({@code sql = read-only})
 * @param maintenance     true when the role may run maintenance jobs ({@code ilp retention})
 * @param deny            tables the role may not read ({@code database.table} or {@code database.*})
 * @param purposeRequired tables a consultation must give a purpose for
 */
public record AccessPolicy(String user, String role, String roleOrigin, boolean readOnly, boolean maintenance,
    List<String> deny, List<String> purposeRequired) {

  /** The shortest purpose accepted (a case reference and a few words). */
  public static final int MIN_PURPOSE = 10;

  public AccessPolicy {
    deny = List.copyOf(deny);
    purposeRequired = List.copyOf(purposeRequired);
  }

  /** The policy of {@code config}'s role; an unknown role is a usage error (exit 2). */
  public static AccessPolicy of(IlpConfig config) {
    Config c = config.raw().getConfig("ilp.access");
    String role = c.getString("role");
    if (!c.hasPath("roles.\"" + role + "\"")) {
      throw new UsageError("unknown role '" + role + "' (ILP_ROLE / ilp.access.role); roles: "
          + c.getObject("roles").keySet());
    }
    Config r = c.getConfig("roles.\"" + role + "\"");
    String sql = r.getString("sql");
    if (!sql.equals("read-only") && !sql.equals("any")) {
      throw new IllegalArgumentException("ilp.access.roles." + role + ".sql must be read-only or any, got " + sql);
    }
    String origin = c.getValue("role").origin().description();
    return new AccessPolicy(c.hasPath("user") ? c.getString("user") : System.getProperty("user.name"), role, origin,
        sql.equals("read-only"), r.getBoolean("maintenance"), r.getStringList("deny"),
        c.getStringList("purpose-required"));
  }

  /** Whether the role may not read {@code table} at all. */
  public boolean denies(String table) {
    return matches(deny, table);
  }

  /** Whether a consultation of {@code table} must state a purpose. */
  public boolean needsPurpose(String table) {
    return matches(purposeRequired, table);
  }

  /** A purpose that says something ({@link #MIN_PURPOSE} characters or more), or null. */
  public static String purpose(String given) {
    return given == null || given.strip().length() < MIN_PURPOSE ? null : given.strip();
  }

  /** Whether {@code table} is named by one of {@code patterns} ({@code database.table} or {@code database.*}). */
  public static boolean matches(List<String> patterns, String table) {
    String t = table.toLowerCase(Locale.ROOT);
    for (String p : patterns) {
      String q = p.toLowerCase(Locale.ROOT);
      if (q.equals(t) || (q.endsWith(".*") && t.startsWith(q.substring(0, q.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
