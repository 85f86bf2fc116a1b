//! `throughline sql`: the warehouse query whose result, saved as CSV, is a summary-statistics
//! file for `throughline analyze` (CONTRACT.md). It is the query the Data page's "Get summary
//! statistics from my warehouse" helper shows: both call [`crate::data::summary_sql`].

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::data::{SqlDialect, SummaryQuery, WarehouseError, summary_sql};

/// `--dialect`: the SQL engine to write for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    Duckdb,
    #[value(alias = "postgresql", alias = "redshift")]
    Postgres,
    Bigquery,
    Snowflake,
    #[value(alias = "spark-sql", alias = "databricks")]
    Spark,
}

impl From<DialectArg> for SqlDialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Duckdb => SqlDialect::DuckDb,
            DialectArg::Postgres => SqlDialect::PostgreSql,
            DialectArg::Bigquery => SqlDialect::BigQuery,
            DialectArg::Snowflake => SqlDialect::Snowflake,
            DialectArg::Spark => SqlDialect::SparkSql,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct SqlArgs {
    /// The SQL engine that will run the query.
    #[arg(long, value_enum)]
    pub dialect: DialectArg,
    /// The table (or view) with one row per unit, e.g. project.dataset.experiment_units.
    #[arg(long, value_name = "TABLE")]
    pub table: String,
    /// The column that names each row's variant.
    #[arg(long = "variant-col", value_name = "COL")]
    pub variant_col: String,
    /// A metric column (repeat for several). In the result its columns are named after it in
    /// lower case with other characters made `_` ("Revenue USD" gives revenue_usd_n,
    /// revenue_usd_mean, revenue_usd_std_dev): pass that name to `throughline analyze`.
    #[arg(long = "metric", value_name = "COL", required_unless_present_any = ["covariates", "ratios"])]
    pub metrics: Vec<String>,
    /// CUPED: METRIC=COL adds the metric's and its pre-experiment covariate's means, standard
    /// deviations and covariance (columns cuped_<metric>_<col>_n, _y_mean, _y_std_dev, _x_mean,
    /// _x_std_dev, _cov); pass the same --covariate to `analyze` on the result.
    #[arg(long = "covariate", value_name = "METRIC=COL")]
    pub covariates: Vec<String>,
    /// Ratio metric NAME=NUM/DEN: adds the numerator's and denominator's means, standard
    /// deviations and covariance (columns ratio_<num>_<den>_n, _num_mean, _num_std_dev,
    /// _den_mean, _den_std_dev, _cov); pass the same --ratio to `analyze` on the result.
    #[arg(long = "ratio", value_name = "NAME=NUM/DEN")]
    pub ratios: Vec<String>,
    /// Only rows where this condition holds, written in the engine's SQL, e.g.
    /// "experiment_id = 'checkout-42'".
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
}

/// Bad command-line values: exit code 2 (CONTRACT.md).
const USAGE: u8 = 2;

pub fn run(args: &SqlArgs) -> ExitCode {
    let mut covariates = Vec::new();
    for c in &args.covariates {
        match c.split_once('=') {
            Some((m, x)) if !m.trim().is_empty() && !x.trim().is_empty() => {
                covariates.push((m.trim().to_owned(), x.trim().to_owned()));
            }
            _ => {
                return usage(&format!(
                    "--covariate \"{c}\" should be METRIC=COLUMN, e.g. revenue=pre_revenue"
                ));
            }
        }
    }
    let mut ratios = Vec::new();
    for r in &args.ratios {
        let parsed = r
            .split_once('=')
            .and_then(|(name, rest)| Some((name.trim(), rest.rsplit_once('/')?)))
            .filter(|(name, (n, d))| {
                !name.is_empty() && !n.trim().is_empty() && !d.trim().is_empty()
            });
        match parsed {
            Some((_, (n, d))) => ratios.push((n.trim().to_owned(), d.trim().to_owned())),
            None => {
                return usage(&format!(
                    "--ratio \"{r}\" should be NAME=NUMERATOR/DENOMINATOR, e.g. \
                     revenue_per_session=revenue/sessions"
                ));
            }
        }
    }
    let query = SummaryQuery {
        table: args.table.clone(),
        variant_column: args.variant_col.clone(),
        metric_columns: args.metrics.clone(),
        filter: args.filter.clone().unwrap_or_default(),
        covariates,
        ratios,
    };
    match summary_sql(args.dialect.into(), &query) {
        Ok(sql) => super::print_text(&sql),
        Err(e) => usage(&message(&e, args)),
    }
}

fn usage(message: &str) -> ExitCode {
    super::print_error(message);
    ExitCode::from(USAGE)
}

/// The command-line wording of a [`WarehouseError`]: names the option and the value at fault.
fn message(e: &WarehouseError, args: &SqlArgs) -> String {
    match e {
        WarehouseError::NoTable => format!(
            "--table \"{}\" names no table: give the table with one row per unit, e.g. \
             project.dataset.experiment_units",
            args.table
        ),
        WarehouseError::BadTable(table) => format!(
            "--table \"{table}\" has an empty part between dots: write it as \
             project.dataset.table"
        ),
        WarehouseError::NoVariant => format!(
            "--variant-col \"{}\" names no column: give the column that holds each row's variant",
            args.variant_col
        ),
        WarehouseError::NoMetrics => {
            "--metric names no column: give at least one metric column, e.g. --metric converted"
                .to_owned()
        }
        WarehouseError::SameResultName {
            first,
            second,
            alias,
        } => format!(
            "--metric \"{first}\" and --metric \"{second}\" would both give the result columns \
             {alias}_n, {alias}_mean and {alias}_std_dev: keep one of them"
        ),
    }
}
