//! "Get summary statistics from my warehouse": the SQL that computes, in the user's own engine,
//! the summary-statistics file Throughline analyses (one row per variant with n, and per metric
//! the count of present values, the mean and the sample standard deviation).
//!
//! The output columns are named so that the Data page recognises them: `variant`, `n`, and per
//! metric `<metric>_n`, `<metric>_mean`, `<metric>_std_dev`. NaN and infinite values are left
//! out like missing ones (CONTRACT.md), so the file gives the same results as the unit-level
//! data it summarises.

use super::aggregate::{PairKind, pair_columns};
use super::roles::normalise_name;

/// The SQL engines Throughline writes for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SqlDialect {
    #[default]
    BigQuery,
    Snowflake,
    SparkSql,
    DuckDb,
    PostgreSql,
}

impl SqlDialect {
    pub const ALL: [SqlDialect; 5] = [
        SqlDialect::BigQuery,
        SqlDialect::Snowflake,
        SqlDialect::SparkSql,
        SqlDialect::DuckDb,
        SqlDialect::PostgreSql,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SqlDialect::BigQuery => "BigQuery",
            SqlDialect::Snowflake => "Snowflake",
            SqlDialect::SparkSql => "Spark SQL / Databricks",
            SqlDialect::DuckDb => "DuckDB",
            SqlDialect::PostgreSql => "PostgreSQL / Redshift",
        }
    }

    fn float_type(self) -> &'static str {
        match self {
            SqlDialect::BigQuery => "FLOAT64",
            SqlDialect::PostgreSql => "DOUBLE PRECISION",
            SqlDialect::Snowflake | SqlDialect::SparkSql | SqlDialect::DuckDb => "DOUBLE",
        }
    }

    /// Quote an identifier part when it is not a plain lower-case-safe name.
    fn quote(self, ident: &str) -> String {
        let plain = ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !RESERVED.contains(&ident.to_ascii_lowercase().as_str());
        // Snowflake folds unquoted names to upper case; quoting a lower-case name would make
        // it case-sensitive, so plain names stay unquoted there too.
        if plain {
            return ident.to_string();
        }
        match self {
            // BigQuery escapes inside back-quotes with a backslash.
            SqlDialect::BigQuery => {
                format!("`{}`", ident.replace('\\', "\\\\").replace('`', "\\`"))
            }
            // Spark SQL doubles a back-quote inside back-quotes.
            SqlDialect::SparkSql => format!("`{}`", ident.replace('`', "``")),
            _ => format!("\"{}\"", ident.replace('"', "\"\"")),
        }
    }

    /// A result column's name (lower case already). Snowflake would fold an unquoted one to
    /// upper case (`VARIANT`, `ORDER_N`), so there it is always quoted: every engine's CSV then
    /// has the same header, which `throughline analyze --variant-col variant` finds.
    fn alias(self, name: &str) -> String {
        match self {
            SqlDialect::Snowflake => format!("\"{}\"", name.replace('"', "\"\"")),
            _ => self.quote(name),
        }
    }

    /// A table name, possibly qualified ("project.dataset.table"); each part is quoted on its
    /// own. `None` when a part is empty ("", "...", "a..b").
    fn table(self, name: &str) -> Option<String> {
        name.split('.')
            .map(|part| {
                let part = part.trim().trim_matches(['`', '"']).trim();
                (!part.is_empty()).then(|| self.quote(part))
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("."))
    }

    /// `expr` as a floating-point number, NULL when NaN or infinite.
    fn finite(self, expr: &str) -> String {
        let f = self.float_type();
        let x = format!("CAST({expr} AS {f})");
        match self {
            SqlDialect::BigQuery => format!("IF(IS_NAN({x}) OR IS_INF({x}), NULL, {x})"),
            SqlDialect::DuckDb => format!("CASE WHEN isfinite({x}) THEN {x} END"),
            SqlDialect::SparkSql => format!(
                "CASE WHEN isnan({x}) OR abs({x}) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE {x} END"
            ),
            SqlDialect::PostgreSql => format!(
                "CASE WHEN {x} IN ('NaN'::{f}, 'Infinity'::{f}, '-Infinity'::{f}) THEN NULL ELSE {x} END"
            ),
            SqlDialect::Snowflake => format!(
                "CASE WHEN {x} IN ('NaN'::{f}, 'inf'::{f}, '-inf'::{f}) THEN NULL ELSE {x} END"
            ),
        }
    }
}

/// Words that some engine reserves: quoted wherever they name a column or table.
const RESERVED: &[&str] = &[
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "anti",
    "any",
    "array",
    "as",
    "asc",
    "assert_rows_modified",
    "at",
    "authorization",
    "avg",
    "between",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "contains",
    "count",
    "create",
    "cross",
    "cube",
    "current",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "date",
    "default",
    "define",
    "delete",
    "desc",
    "describe",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "enum",
    "escape",
    "except",
    "exclude",
    "exists",
    "extract",
    "false",
    "fetch",
    "following",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "grouping",
    "groups",
    "having",
    "if",
    "ignore",
    "ilike",
    "in",
    "inner",
    "insert",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "lookup",
    "merge",
    "minus",
    "natural",
    "new",
    "no",
    "not",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "over",
    "overlaps",
    "partition",
    "pivot",
    "placing",
    "preceding",
    "primary",
    "proto",
    "qualify",
    "range",
    "recursive",
    "references",
    "regexp",
    "respect",
    "returning",
    "revoke",
    "right",
    "rlike",
    "rollup",
    "row",
    "rows",
    "sample",
    "select",
    "semi",
    "session_user",
    "set",
    "similar",
    "some",
    "start",
    "struct",
    "sum",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trigger",
    "true",
    "unbounded",
    "union",
    "unique",
    "unknown",
    "unnest",
    "unpivot",
    "update",
    "user",
    "using",
    "value",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "within",
];

/// What the warehouse query summarises.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SummaryQuery {
    /// The table (or view) holding one row per unit, e.g. `project.dataset.experiment_units`.
    pub table: String,
    /// The column naming each unit's variant.
    pub variant_column: String,
    /// The metric columns (numbers, or 0/1 for conversions).
    pub metric_columns: Vec<String>,
    /// An optional condition, e.g. `experiment_id = 'checkout-42'`.
    pub filter: String,
    /// CUPED: (metric column, pre-experiment covariate column). The metric's own columns are
    /// written too, even when it is not among `metric_columns`.
    pub covariates: Vec<(String, String)>,
    /// Ratio metrics: (numerator column, denominator column).
    pub ratios: Vec<(String, String)>,
}

/// Why no SQL could be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WarehouseError {
    #[error("Enter the name of the table that holds one row per user or session.")]
    NoTable,
    #[error("Enter the name of the column that holds each row's variant.")]
    NoVariant,
    #[error("Choose at least one metric column.")]
    NoMetrics,
    #[error(
        "The table name \"{0}\" has an empty part between dots; write it as project.dataset.table."
    )]
    BadTable(String),
    #[error(
        "The metrics \"{first}\" and \"{second}\" would both give the result columns {alias}_n, \
         {alias}_mean and {alias}_std_dev; keep one of them."
    )]
    SameResultName {
        first: String,
        second: String,
        alias: String,
    },
}

/// The prefix of a metric's result columns (`<prefix>_n`, `_mean`, `_std_dev`): its name in
/// lower case with every run of other characters made one `_` ("Revenue USD" → `revenue_usd`),
/// which is also the name to give `throughline analyze` for the summary file.
pub fn result_name(metric: &str) -> String {
    let alias = normalise_name(metric);
    if alias.is_empty() {
        "metric".to_string()
    } else {
        alias
    }
}

/// The SQL that computes the summary-statistics file for `query` in `dialect`.
pub fn summary_sql(dialect: SqlDialect, query: &SummaryQuery) -> Result<String, WarehouseError> {
    let table = query.table.trim();
    if table.is_empty() {
        return Err(WarehouseError::NoTable);
    }
    let variant = query.variant_column.trim();
    if variant.is_empty() {
        return Err(WarehouseError::NoVariant);
    }
    let mut metrics: Vec<&str> = query
        .metric_columns
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect();
    for (m, _) in &query.covariates {
        let m = m.trim();
        if !m.is_empty() && !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    let has_ratios = query
        .ratios
        .iter()
        .any(|(n, d)| !n.trim().is_empty() && !d.trim().is_empty());
    if metrics.is_empty() && !has_ratios {
        return Err(WarehouseError::NoMetrics);
    }
    let table = match dialect.table(table) {
        Some(t) => t,
        None if table.chars().all(|c| c == '.' || c.is_whitespace()) => {
            return Err(WarehouseError::NoTable);
        }
        None => return Err(WarehouseError::BadTable(table.to_string())),
    };
    let mut aliases: Vec<(&str, String)> = Vec::with_capacity(metrics.len());
    for m in &metrics {
        let alias = result_name(m);
        if let Some((first, _)) = aliases.iter().find(|(_, a)| *a == alias) {
            return Err(WarehouseError::SameResultName {
                first: (*first).to_string(),
                second: (*m).to_string(),
                alias,
            });
        }
        aliases.push((m, alias));
    }
    let v = dialect.quote(variant);
    let mut lines = vec![
        format!(
            "-- Summary statistics for Throughline ({}): one row per variant.",
            dialect.label()
        ),
        "-- Save the result as a CSV file and add it on the Data page.".to_string(),
        "SELECT".to_string(),
        format!("  {v} AS {},", dialect.alias("variant")),
        format!("  COUNT(*) AS {}", dialect.alias("n")),
    ];
    for (m, alias) in &aliases {
        let x = dialect.finite(&dialect.quote(m));
        // Previous line gets its comma.
        if let Some(last) = lines.last_mut() {
            last.push(',');
        }
        let [count, mean, sd] =
            ["n", "mean", "std_dev"].map(|s| dialect.alias(&format!("{alias}_{s}")));
        lines.push(format!("  COUNT({x}) AS {count},"));
        lines.push(format!("  AVG({x}) AS {mean},"));
        lines.push(format!("  STDDEV_SAMP({x}) AS {sd}"));
    }
    // Pairs (CUPED: metric and covariate; ratios: numerator and denominator) over the units
    // with both values: their means, standard deviations and covariance.
    let pairs = query
        .covariates
        .iter()
        .map(|(a, b)| (PairKind::Cuped, a, b))
        .chain(query.ratios.iter().map(|(a, b)| (PairKind::Ratio, a, b)));
    for (kind, a, b) in pairs {
        let (a, b) = (a.trim(), b.trim());
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let (xa, xb) = (
            dialect.finite(&dialect.quote(a)),
            dialect.finite(&dialect.quote(b)),
        );
        let both =
            |x: &str| format!("CASE WHEN {xa} IS NOT NULL AND {xb} IS NOT NULL THEN {x} END");
        let (pa, pb) = (both(&xa), both(&xb));
        let [n, ma, sa, mb, sb, cov] = pair_columns(kind, a, b).map(|c| dialect.alias(&c));
        if let Some(last) = lines.last_mut() {
            last.push(',');
        }
        lines.push(format!("  COUNT({pa}) AS {n},"));
        lines.push(format!("  AVG({pa}) AS {ma},"));
        lines.push(format!("  STDDEV_SAMP({pa}) AS {sa},"));
        lines.push(format!("  AVG({pb}) AS {mb},"));
        lines.push(format!("  STDDEV_SAMP({pb}) AS {sb},"));
        lines.push(format!("  COVAR_SAMP({pa}, {pb}) AS {cov}"));
    }
    lines.push(format!("FROM {table}"));
    let filter = query.filter.trim().trim_end_matches(';');
    if !filter.is_empty() {
        lines.push(format!("WHERE {filter}"));
    }
    lines.push(format!("GROUP BY {v}"));
    lines.push(format!("ORDER BY {v};"));
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> SummaryQuery {
        SummaryQuery {
            table: "shop-prod.experiments.checkout_units".into(),
            variant_column: "variant".into(),
            metric_columns: vec!["converted".into(), "Revenue USD".into()],
            filter: "experiment_id = 'checkout-42'".into(),
            ..Default::default()
        }
    }

    #[test]
    fn bigquery() {
        let sql = summary_sql(SqlDialect::BigQuery, &query()).unwrap();
        assert!(
            sql.contains("FROM `shop-prod`.experiments.checkout_units"),
            "{sql}"
        );
        assert!(
            sql.contains("  variant AS variant,\n  COUNT(*) AS n,\n"),
            "{sql}"
        );
        assert!(
            sql.contains(
                "STDDEV_SAMP(IF(IS_NAN(CAST(`Revenue USD` AS FLOAT64)) OR IS_INF(CAST(`Revenue USD` AS FLOAT64)), NULL, CAST(`Revenue USD` AS FLOAT64))) AS revenue_usd_std_dev\nFROM"
            ),
            "{sql}"
        );
        assert!(
            sql.contains(
                "WHERE experiment_id = 'checkout-42'\nGROUP BY variant\nORDER BY variant;"
            )
        );
    }

    #[test]
    fn every_dialect_quotes_its_way() {
        for d in SqlDialect::ALL {
            let sql = summary_sql(d, &query()).unwrap();
            assert!(sql.contains("converted_mean"), "{sql}");
            assert!(sql.contains("revenue_usd_n"), "{sql}");
            match d {
                SqlDialect::BigQuery | SqlDialect::SparkSql => {
                    assert!(sql.contains("`Revenue USD`"))
                }
                _ => assert!(sql.contains("\"Revenue USD\"")),
            }
        }
        let pg = summary_sql(SqlDialect::PostgreSql, &query()).unwrap();
        assert!(pg.contains("DOUBLE PRECISION"));
        // Snowflake would upper-case unquoted result names: they are quoted there.
        let sf = summary_sql(SqlDialect::Snowflake, &query()).unwrap();
        assert!(
            sf.contains("  variant AS \"variant\",\n  COUNT(*) AS \"n\","),
            "{sf}"
        );
        assert!(sf.contains(" AS \"revenue_usd_std_dev\"\n"), "{sf}");
        assert!(pg.contains("FROM \"shop-prod\".experiments.checkout_units"));
    }

    #[test]
    fn missing_parts_are_explained() {
        let mut q = query();
        q.metric_columns.clear();
        assert_eq!(
            summary_sql(SqlDialect::DuckDb, &q),
            Err(WarehouseError::NoMetrics)
        );
        q.table = " ".into();
        assert_eq!(
            summary_sql(SqlDialect::DuckDb, &q),
            Err(WarehouseError::NoTable)
        );
    }

    #[test]
    fn reserved_words_are_quoted() {
        let q = SummaryQuery {
            table: "t".into(),
            variant_column: "group".into(),
            metric_columns: vec!["value".into()],
            filter: String::new(),
            ..Default::default()
        };
        let sql = summary_sql(SqlDialect::DuckDb, &q).unwrap();
        assert!(sql.contains("\"group\" AS variant"), "{sql}");
        assert!(sql.contains("GROUP BY \"group\""), "{sql}");
    }

    #[test]
    fn quote_characters_are_escaped_the_way_each_engine_reads_them() {
        let q = SummaryQuery {
            table: "t".into(),
            variant_column: "variant".into(),
            metric_columns: vec!["a`b\"c".into()],
            filter: String::new(),
            ..Default::default()
        };
        let sql = |d| summary_sql(d, &q).unwrap();
        assert!(sql(SqlDialect::SparkSql).contains("`a``b\"c`"));
        assert!(sql(SqlDialect::BigQuery).contains("`a\\`b\"c`"));
        for d in [
            SqlDialect::DuckDb,
            SqlDialect::PostgreSql,
            SqlDialect::Snowflake,
        ] {
            assert!(sql(d).contains("\"a`b\"\"c\""), "{}", sql(d));
        }
        // A name that starts with a digit is quoted where it names a result column too.
        let q = SummaryQuery {
            metric_columns: vec!["7day revenue".into()],
            ..q
        };
        let pg = summary_sql(SqlDialect::PostgreSql, &q).unwrap();
        assert!(pg.contains("AS \"7day_revenue_mean\""), "{pg}");
    }

    #[test]
    fn table_names_without_a_name_are_refused() {
        let mut q = query();
        for (table, want) in [
            ("", WarehouseError::NoTable),
            ("...", WarehouseError::NoTable),
            (" . ", WarehouseError::NoTable),
            ("a..b", WarehouseError::BadTable("a..b".into())),
            (".t", WarehouseError::BadTable(".t".into())),
        ] {
            q.table = table.into();
            assert_eq!(summary_sql(SqlDialect::DuckDb, &q), Err(want), "{table:?}");
        }
        q.table = "`my-project`.dataset.\"table\"".into();
        let sql = summary_sql(SqlDialect::BigQuery, &q).unwrap();
        assert!(sql.contains("FROM `my-project`.dataset.`table`"), "{sql}");
    }

    #[test]
    fn two_metrics_with_one_result_name_are_refused() {
        let mut q = query();
        q.metric_columns = vec!["Revenue USD".into(), "revenue_usd".into()];
        assert_eq!(
            summary_sql(SqlDialect::Snowflake, &q),
            Err(WarehouseError::SameResultName {
                first: "Revenue USD".into(),
                second: "revenue_usd".into(),
                alias: "revenue_usd".into(),
            })
        );
    }
}
