package org.ilp.common.access;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.HiveTableRelation;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.ilp.common.spark.UsageError;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks a SQL statement against an {@link AccessPolicy} on Spark's own plans, never on the text: the parsed plan
 * before anything runs (which statement, which functions, which names), then, for a query, the analysed plan before
 * any row is read (which tables, really, behind views and CTEs; which functions). A refused statement throws
 * {@link Refused} (a usage error: exit 2) naming the reason; the caller logs it.
 *
 * <ul>
 *   <li>Every role: no function that reaches the JVM, and through it the file system and the environment
 *       ({@code reflect}, {@code java_method}, {@code try_reflect}: {@link CallMethodViaReflection}), and no
 *       {@code TRANSFORM ... USING} script (it runs a process).</li>
 *   <li>A read-only role: the statement is a query (SELECT, WITH, VALUES, TABLE) or DESCRIBE / SHOW / EXPLAIN of
 *       one; every operator of the parsed plan is a query operator (an allowlist, so a statement Spark adds later is
 *       refused until it is listed); every relation is a warehouse table (a name whose database exists), never a
 *       path ({@code csv.`/etc/passwd`}, {@code delta.`/wh/...`}); and the analysed plan reads catalog tables
 *       only.</li>
 *   <li>Every role: no table the role's deny list names; a table that needs a purpose only with one.</li>
 * </ul>
 * The read-only session also runs with {@code spark.sql.runSQLOnFiles=false} ({@link #READ_ONLY_CONF}), a second
 * lock on paths.
 */
public final class SqlGuard {
  private SqlGuard() {}

  /** Session settings for read-only roles: Spark's own switch for SQL over file paths, off. */
  public static final java.util.Map<String, String> READ_ONLY_CONF = java.util.Map.of("spark.sql.runSQLOnFiles", "false");

  /** A refused statement (exit 2). */
  public static final class Refused extends UsageError {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /**
   * A statement that passed: its result (a query's rows are not read yet; a command has run), the warehouse tables
   * it reads, and whether it is a query.
   */
  public record Checked(Dataset<Row> rows, List<String> tables, boolean query) {}

  /** Functions that reach the JVM (and through it files and the environment), by name. */
  static final Set<String> JVM_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect");

  /** Statements that only show metadata (what DESCRIBE and SHOW parse to). */
  static final Set<String> METADATA = Set.of("DescribeRelation", "DescribeColumn", "DescribeFunction",
      "DescribeNamespace", "ShowTables", "ShowTablesExtended", "ShowNamespaces", "ShowColumns", "ShowTableProperties",
      "ShowFunctions", "ShowViews", "ShowCreateTable", "ShowPartitions", "ShowTablePartition",
      "UnresolvedTableOrView", "UnresolvedTable", "UnresolvedNamespace", "UnresolvedView", "UnresolvedFunctionName",
      "CurrentNamespace");

  /** The operators a query's parsed plan may hold (catalyst's logical operators and the analyser's placeholders). */
  static final Set<String> QUERY = Set.of("Project", "Filter", "Aggregate", "Join", "LateralJoin", "AsOfJoin", "Union",
      "Intersect", "Except", "Sort", "GlobalLimit", "LocalLimit", "Offset", "Tail", "Distinct", "Deduplicate",
      "SubqueryAlias", "Window", "WithWindowDefinition", "Generate", "Expand", "Pivot", "Unpivot", "Sample", "Range",
      "OneRowRelation", "LocalRelation", "EmptyRelation", "UnresolvedWith", "WithCTE", "CTERelationDef",
      "CTERelationRef", "Repartition", "RepartitionByExpression", "RebalancePartitions", "UnresolvedHint",
      "ResolvedHint", "View", "Subquery", "UnresolvedRelation", "UnresolvedInlineTable",
      "UnresolvedSubqueryColumnAliases", "UnresolvedTableValuedFunction", "UnresolvedTVFAliases", "UnresolvedHaving",
      "PlanWithUnresolvedIdentifier", "NamedParametersSupport", "RelationTimeTravel", "UnresolvedTranspose",
      "Transpose");

  /** Leaves of an analysed query that read no table. */
  static final Set<String> TABLELESS = Set.of("LocalRelation", "OneRowRelation", "Range", "EmptyRelation",
      "CTERelationRef");

  /**
   * Checks {@code sql} and, when allowed, runs it as far as Spark does eagerly (a query is analysed, a command run).
   *
   * @param purpose the purpose given, or null
   * @throws Refused when the policy refuses it (nothing was read)
   */
  public static Checked run(SparkSession spark, String sql, AccessPolicy policy, String purpose) {
    LogicalPlan parsed = parse(spark, sql);
    Set<String> named = new TreeSet<>();
    boolean query = checkParsed(spark, parsed, policy, named);
    // commands run in spark.sql: the names they touch are checked before it
    checkTables(named.stream().filter(n -> n.contains(".")).toList(), policy, purpose);
    Dataset<Row> rows = spark.sql(sql);
    List<String> tables = new ArrayList<>(named.stream().filter(n -> n.contains(".")).toList());
    if (query) {
      tables = tablesOf(rows.queryExecution().analyzed(), policy);
      checkTables(tables, policy, purpose);
    }
    return new Checked(rows, tables, query);
  }

  /** Spark's parse of {@code sql}; a syntax error is thrown as spark.sql throws it. */
  static LogicalPlan parse(SparkSession spark, String sql) {
    try {
      return spark.sessionState().sqlParser().parsePlan(sql);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
      throw SqlGuard.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /** The parsed plan's checks; fills {@code named} with the relations it names; true for a query. */
  static boolean checkParsed(SparkSession spark, LogicalPlan parsed, AccessPolicy policy, Set<String> named) {
    LogicalPlan body = parsed instanceof ExplainCommand e ? e.logicalPlan() : parsed;
    String root = body.getClass().getSimpleName();
    boolean metadata = METADATA.contains(root);
    List<String> problems = new ArrayList<>();
    walk(body, p -> {
      String op = p.getClass().getSimpleName();
      if (op.equals("ScriptTransformation")) {
        problems.add("TRANSFORM ... USING runs an external process: not allowed to any role");
      } else if (policy.readOnly() && !QUERY.contains(op) && !(metadata && METADATA.contains(op))) {
        problems.add(statementName(op) + " is not allowed to the " + policy.role() + " role (read-only: SELECT, WITH, "
            + "DESCRIBE, SHOW, EXPLAIN)");
      }
      List<String> parts = nameParts(p);
      if (parts != null && !parts.isEmpty()) {
        String name = qualified(spark, parts);
        if (name == null) {
          if (policy.readOnly()) {
            problems.add(String.join(".", parts) + " is not a warehouse table (" + policy.role()
                + " reads tables by name, never file paths)");
          }
        } else {
          named.add(name);
        }
      }
    }, e -> {
      if (e.getClass().getSimpleName().equals("UnresolvedFunction")) {
        List<String> fn = nameParts(e);
        String f = fn == null || fn.isEmpty() ? "" : fn.get(fn.size() - 1).toLowerCase(Locale.ROOT);
        if (JVM_FUNCTIONS.contains(f)) {
          problems.add(f + "() reaches the JVM, the file system and the environment: not allowed to any role");
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new Refused(problems.get(0));
    }
    return !metadata && !(parsed instanceof ExplainCommand) && QUERY.contains(root);
  }

  /** The catalog tables an analysed query reads; a read of anything else by a read-only role is refused. */
  static List<String> tablesOf(LogicalPlan analyzed, AccessPolicy policy) {
    Set<String> tables = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    walk(analyzed, p -> {
      if (!p.children().isEmpty()) {
        return;
      }
      String t = tableOf(p);
      if (t != null) {
        tables.add(t);
      } else if (policy.readOnly() && !TABLELESS.contains(p.getClass().getSimpleName())) {
        problems.add("the query reads " + p.nodeName() + ", not a warehouse table");
      }
    }, e -> {
      if (e instanceof CallMethodViaReflection) {
        problems.add(e.prettyName() + "() reaches the JVM, the file system and the environment: not allowed to any role");
      }
    });
    if (!problems.isEmpty()) {
      throw new Refused(problems.get(0));
    }
    return List.copyOf(tables);
  }

  static void checkTables(List<String> tables, AccessPolicy policy, String purpose) {
    for (String t : tables) {
      if (policy.denies(t)) {
        throw new Refused("the " + policy.role() + " role may not read " + t + " (ilp.access.roles." + policy.role()
            + ".deny)");
      }
    }
    for (String t : tables) {
      if (policy.needsPurpose(t) && AccessPolicy.purpose(purpose) == null) {
        throw new Refused(t + " is restricted: say why with --purpose \"...\" (at least " + AccessPolicy.MIN_PURPOSE
            + " characters; it is logged)");
      }
    }
  }

  /** database.table of a leaf that reads a catalog table, else null. */
  static String tableOf(LogicalPlan leaf) {
    if (leaf instanceof LogicalRelation r && r.catalogTable().isDefined()) {
      return name(r.catalogTable().get());
    }
    if (leaf instanceof HiveTableRelation h) {
      return name(h.tableMeta());
    }
    if (leaf instanceof DataSourceV2Relation v && v.identifier().isDefined()) {
      var id = v.identifier().get();
      return String.join(".", id.namespace()) + "." + id.name();
    }
    return null;
  }

  private static String name(CatalogTable t) {
    return (t.identifier().database().isDefined() ? t.identifier().database().get() + "." : "") + t.identifier().table();
  }

  /**
   * database.table for a relation's name parts; a one-part name as given (a CTE, a view or the current database's
   * table); null when the parts do not name a database of the catalog (a path: csv.`/etc/passwd`).
   */
  static String qualified(SparkSession spark, List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<String> p = parts.size() == 3 && parts.get(0).equalsIgnoreCase("spark_catalog") ? parts.subList(1, 3) : parts;
    if (p.size() != 2 || !spark.catalog().databaseExists(p.get(0))) {
      return null;
    }
    return (p.get(0) + "." + p.get(1)).toLowerCase(Locale.ROOT);
  }

  /** The name parts a node carries ({@code multipartIdentifier} or {@code nameParts}), else null. */
  @SuppressWarnings("unchecked")
  static List<String> nameParts(Object node) {
    for (String m : List.of("multipartIdentifier", "nameParts")) {
      try {
        Method method = node.getClass().getMethod(m);
        Object v = method.invoke(node);
        if (v instanceof scala.collection.Seq<?> s) {
          return new ArrayList<>((java.util.Collection<String>) CollectionConverters.asJava(s));
        }
      } catch (NoSuchMethodException e) {
        // not this kind of node
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return null;
  }

  private static String statementName(String op) {
    return op.replaceAll("(Command|Statement)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
  }

  /** Every plan node (children, CTE definitions, subqueries) and every expression of a plan, depth first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void walk(QueryPlan<?> plan, java.util.function.Consumer<LogicalPlan> onPlan,
      java.util.function.Consumer<Expression> onExpression) {
    if (plan instanceof LogicalPlan lp) {
      onPlan.accept(lp);
    }
    for (Expression e : CollectionConverters.asJava((scala.collection.Seq<Expression>) plan.expressions())) {
      walkExpression(e, onPlan, onExpression);
    }
    for (Object c : CollectionConverters.asJava((scala.collection.Seq) plan.children())) {
      walk((QueryPlan<?>) c, onPlan, onExpression);
    }
    for (Object c : CollectionConverters.asJava((scala.collection.Seq) plan.innerChildren())) {
      if (c instanceof QueryPlan<?> q) {
        walk(q, onPlan, onExpression);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void walkExpression(Expression e, java.util.function.Consumer<LogicalPlan> onPlan,
      java.util.function.Consumer<Expression> onExpression) {
    onExpression.accept(e);
    if (e instanceof SubqueryExpression s) {
      walk(s.plan(), onPlan, onExpression);
    }
    for (Object c : CollectionConverters.asJava((scala.collection.Seq) e.children())) {
      walkExpression((Expression) c, onPlan, onExpression);
    }
  }
}
